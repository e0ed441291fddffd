{{%AUTOESCAPE context="HTML"}}<section class="login">
<h1>Sign in to Vantus</h1>
{{#HAS_ERROR}}<p class="form-error" role="alert">{{ERROR}}</p>{{/HAS_ERROR}}
<form method="post" action="/login">
<input type="hidden" name="next" value="{{NEXT}}">
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required value="{{EMAIL}}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>
{{#CAN_RESET}}<p><a href="/forgot-password">Forgot password?</a></p>{{/CAN_RESET}}
</section>
