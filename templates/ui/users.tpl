{{%AUTOESCAPE context="HTML"}}<h1>Users</h1>
{{#ISSUED}}<section class="notice" role="status">
<p>Send this one-time link to <strong>{{EMAIL}}</strong>: it sets their password, works once and for 30 minutes, and is shown only now.</p>
<p><code class="secret" id="password-link">{{URL}}</code> <button type="button" data-copy="password-link">Copy</button></p>
</section>{{/ISSUED}}
<table>
<thead><tr><th>Email</th><th>Platform admin</th><th>State</th><th></th></tr></thead>
<tbody>
{{#USER}}<tr><td>{{EMAIL}}{{#NO_PASSWORD}} <span class="hint">(no password yet)</span>{{/NO_PASSWORD}}</td>
<td>{{#IS_ADMIN}}yes{{/IS_ADMIN}}{{#NOT_ADMIN}}no{{/NOT_ADMIN}}</td>
<td>{{#IS_DISABLED}}disabled{{/IS_DISABLED}}{{#IS_ENABLED}}active{{/IS_ENABLED}}</td>
<td>
<form method="post" action="/users/{{ID}}" class="inline"><input type="hidden" name="csrf" value="{{CSRF}}">
{{#IS_ADMIN}}<input type="hidden" name="platform_admin" value="no"><button type="submit">Remove admin</button>{{/IS_ADMIN}}
{{#NOT_ADMIN}}<input type="hidden" name="platform_admin" value="yes"><button type="submit">Make admin</button>{{/NOT_ADMIN}}</form>
<form method="post" action="/users/{{ID}}" class="inline"><input type="hidden" name="csrf" value="{{CSRF}}">
{{#IS_ENABLED}}<input type="hidden" name="disabled" value="yes"><button type="submit" class="danger">Disable</button>{{/IS_ENABLED}}
{{#IS_DISABLED}}<input type="hidden" name="disabled" value="no"><button type="submit">Enable</button>{{/IS_DISABLED}}</form>
<form method="post" action="/users/{{ID}}/password-link" class="inline"><input type="hidden" name="csrf" value="{{CSRF}}">
<button type="submit">Password link</button></form>
</td></tr>
{{/USER}}
</tbody>
</table>
<h2>New user</h2>
<form method="post" action="/users" class="stacked">
<input type="hidden" name="csrf" value="{{CSRF}}">
{{#HAS_ERROR}}<p class="form-error" role="alert">{{ERROR}}</p>{{/HAS_ERROR}}
<label for="user-email">Email</label>
<input id="user-email" name="email" type="email" required value="{{TYPED_EMAIL}}">
<label class="check"><input type="checkbox" name="platform_admin"> Platform admin</label>
<button type="submit">Create user</button>
</form>
