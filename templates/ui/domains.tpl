{{%AUTOESCAPE context="HTML"}}{{>TENANT_NAV}}
<h2>Domains</h2>
{{#NO_DOMAINS}}<p>No domain yet.</p>{{/NO_DOMAINS}}
{{#HAS_DOMAINS}}<table>
<thead><tr><th>Name</th><th>Settings</th><th></th></tr></thead>
<tbody>
{{#DOMAIN}}<tr><td>{{NAME}}</td><td>{{FLAGS}}</td><td>{{#CAN_EDIT}}
<details class="inline-edit"><summary>Change</summary>
<form method="post" action="/tenants/{{TENANT_ID}}/domains/{{ID}}" class="switches">
<input type="hidden" name="csrf" value="{{CSRF}}">
<label class="check"><input type="checkbox" name="primary" {{#PRIMARY_ON}}checked{{/PRIMARY_ON}}> Primary</label>
<label class="check"><input type="checkbox" name="tls" {{#TLS_ON}}checked{{/TLS_ON}}> TLS</label>
<label class="check"><input type="checkbox" name="force_https" {{#FORCE_HTTPS_ON}}checked{{/FORCE_HTTPS_ON}}> Force HTTPS</label>
<label class="check"><input type="checkbox" name="hsts" {{#HSTS_ON}}checked{{/HSTS_ON}}> HSTS</label>
<label for="min-tls-{{ID}}">Minimum TLS</label>
<select id="min-tls-{{ID}}" name="min_tls_version">{{#TLS_VERSION}}<option {{#SELECTED}}selected{{/SELECTED}}>{{VALUE}}</option>{{/TLS_VERSION}}</select>
<button type="submit">Save {{NAME}}</button>
</form></details>
<form method="post" action="/tenants/{{TENANT_ID}}/domains/{{ID}}/delete" class="inline" data-confirm="Remove this domain from the drafts?">
<input type="hidden" name="csrf" value="{{CSRF}}"><button type="submit" class="danger">Remove</button></form>{{/CAN_EDIT}}</td></tr>
{{/DOMAIN}}
</tbody>
</table>{{/HAS_DOMAINS}}
{{#CAN_EDIT}}<h3>Add a domain</h3>
<form method="post" action="/tenants/{{TENANT_ID}}/domains" class="stacked">
<input type="hidden" name="csrf" value="{{CSRF}}">
<label for="domain-name">Domain name</label>
<input id="domain-name" name="name" required value="{{TYPED_NAME}}" aria-describedby="domain-error">
{{#HAS_ERROR}}<p class="form-error" id="domain-error" role="alert">{{ERROR}}</p>{{/HAS_ERROR}}
<label class="check"><input type="checkbox" name="primary"> Primary</label>
<label class="check"><input type="checkbox" name="tls"> TLS</label>
<label class="check"><input type="checkbox" name="force_https"> Force HTTPS</label>
<label class="check"><input type="checkbox" name="hsts"> HSTS</label>
<label for="min-tls">Minimum TLS</label>
<select id="min-tls" name="min_tls_version">{{#TLS_VERSION}}<option {{#SELECTED}}selected{{/SELECTED}}>{{VALUE}}</option>{{/TLS_VERSION}}</select>
<button type="submit">Add domain</button>
</form>
{{/CAN_EDIT}}
