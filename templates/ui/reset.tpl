{{%AUTOESCAPE context="HTML"}}<section class="login">
<h1>{{HEADING}}</h1>
{{#HAS_ERROR}}<p class="form-error" role="alert">{{ERROR}}</p>{{/HAS_ERROR}}
<form method="post" action="{{ACTION}}">
<label for="new-password">New password</label>
<input id="new-password" name="new_password" type="password" autocomplete="new-password" minlength="12" required>
<p class="hint">At least 12 characters. The link works once.</p>
<button type="submit">{{BUTTON}}</button>
</form>
</section>
