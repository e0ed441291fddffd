{{%AUTOESCAPE context="HTML"}}<h1>Security</h1>
<h2>Password</h2>
<form method="post" action="/settings/security/password" class="stacked">
<input type="hidden" name="csrf" value="{{CSRF}}">
{{#HAS_PASSWORD_ERROR}}<p class="form-error" role="alert">{{PASSWORD_ERROR}}</p>{{/HAS_PASSWORD_ERROR}}
<label for="current-password">Current password</label>
<input id="current-password" name="current_password" type="password" autocomplete="current-password" required>
<label for="new-password">New password</label>
<input id="new-password" name="new_password" type="password" autocomplete="new-password" minlength="12" required>
<p class="hint">At least 12 characters. Every session of yours ends; this browser stays signed in.</p>
<button type="submit">Change password</button>
</form>
<h2>Sessions</h2>
<table><thead><tr><th>Signed in</th><th>Last seen</th><th>Address</th><th>Browser</th><th></th></tr></thead><tbody>
{{#SESSION}}<tr><td>{{SIGNED_IN_AT}}</td><td>{{LAST_SEEN_AT}}</td><td>{{ADDRESS}}</td><td>{{USER_AGENT}}</td><td>{{#CURRENT}}this one{{/CURRENT}}{{#OTHER}}<form method="post" action="/settings/security/sessions/{{ID}}/end"><input type="hidden" name="csrf" value="{{CSRF}}"><button type="submit" class="danger">End</button></form>{{/OTHER}}</td></tr>{{/SESSION}}
</tbody></table>
<form method="post" action="/settings/security/sign-out-everywhere" data-confirm="End every session of yours, this one included?">
<input type="hidden" name="csrf" value="{{CSRF}}">
<button type="submit" class="danger">Sign out everywhere</button>
</form>
