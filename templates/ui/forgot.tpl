{{%AUTOESCAPE context="HTML"}}<section class="login">
<h1>Forgot your password?</h1>
{{#HAS_ERROR}}<p class="form-error" role="alert">{{ERROR}}</p>{{/HAS_ERROR}}
{{#SENT}}<p role="status">If {{EMAIL}} is the e-mail of an account here, a link that sets its password is on its way. It works once, for 30 minutes.</p>{{/SENT}}
{{#CAN_REQUEST}}<form method="post" action="/forgot-password">
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required value="{{EMAIL}}">
<p class="hint">You get an e-mail with a link that sets a new password.</p>
<button type="submit">Send link</button>
</form>{{/CAN_REQUEST}}
{{#NO_MAIL}}<p>This controller sends no e-mail: ask a platform admin for a password link.</p>{{/NO_MAIL}}
<p><a href="/login">Back to sign in</a></p>
</section>
