{{%AUTOESCAPE context="HTML"}}<h1>API tokens</h1>
{{#CREATED}}<section class="notice" role="status">
<p>Token <strong>{{NAME}}</strong> created. Copy it now: it is shown only once.</p>
<p><code class="secret" id="new-token">{{SECRET}}</code> <button type="button" data-copy="new-token">Copy</button></p>
</section>{{/CREATED}}
<table>
<thead><tr><th>Name</th><th>Prefix</th><th>Scopes</th><th>Tenant</th><th>Expires</th><th>Last used</th><th></th></tr></thead>
<tbody>
{{#TOKEN}}<tr><td>{{NAME}}</td><td><code>{{PREFIX}}</code></td><td>{{SCOPES}}</td><td>{{TENANT}}</td><td>{{EXPIRES}}</td><td>{{LAST_USED}}</td><td>
<form method="post" action="/settings/api-tokens/{{ID}}/revoke" data-confirm="Revoke this token? Clients using it stop working at once.">
<input type="hidden" name="csrf" value="{{CSRF}}"><button type="submit" class="danger">Revoke</button></form></td></tr>
{{/TOKEN}}
</tbody>
</table>
<h2>New token</h2>
<form method="post" action="/settings/api-tokens" class="stacked">
<input type="hidden" name="csrf" value="{{CSRF}}">
{{#HAS_ERROR}}<p class="form-error" role="alert">{{ERROR}}</p>{{/HAS_ERROR}}
<label for="token-name">Token name</label>
<input id="token-name" name="name" required maxlength="100">
<fieldset><legend>Scopes (never more than your role allows)</legend>
{{#SCOPE}}<label class="check"><input type="checkbox" name="scope" value="{{NAME}}"> {{NAME}}</label>
{{/SCOPE}}</fieldset>
<label for="token-tenant">Bound to tenant id (empty: not bound)</label>
<input id="token-tenant" name="tenant" inputmode="numeric">
<label for="token-days">Expires after (days)</label>
<input id="token-days" name="expires_days" inputmode="numeric" value="30" required>
<button type="submit">Create token</button>
</form>
