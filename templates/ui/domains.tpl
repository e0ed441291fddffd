{{%AUTOESCAPE context="HTML"}}{{>TENANT_NAV}}
<h2>Domains</h2>
{{#NO_DOMAINS}}<p>No domain yet.</p>{{/NO_DOMAINS}}
{{#HAS_DOMAINS}}<table>
<thead><tr><th>Name</th><th>Settings</th><th></th></tr></thead>
<tbody>
{{#DOMAIN}}<tr><td>{{NAME}}</td><td>{{FLAGS}}</td><td>{{#CAN_EDIT}}
<form method="post" action="/tenants/{{TENANT_ID}}/domains/{{ID}}/delete" data-confirm="Remove this domain from the drafts?">
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
<button type="submit">Add domain</button>
</form>
{{/CAN_EDIT}}
