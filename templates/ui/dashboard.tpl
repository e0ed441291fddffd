{{%AUTOESCAPE context="HTML"}}<h1>Dashboard</h1>
<div class="grid">
<section>
<h2>My tenants</h2>
{{#NO_TENANTS}}<p>No tenant you may see yet.</p>{{/NO_TENANTS}}
{{#HAS_TENANTS}}<table>
<thead><tr><th>Tenant</th><th>Status</th><th>Last deployment</th></tr></thead>
<tbody>
{{#TENANT}}<tr><td><a href="/tenants/{{ID}}">{{NAME}}</a> <code>{{SLUG}}</code></td><td><span class="badge">{{STATUS}}</span></td>
<td>{{#LAST_DEPLOYMENT}}<a href="/tenants/{{TENANT_ID}}/deployments/{{DEPLOYMENT_ID}}">#{{DEPLOYMENT_ID}}</a> {{DEPLOYMENT_STATUS}} · {{DEPLOYED_AT}}{{/LAST_DEPLOYMENT}}{{#NEVER_DEPLOYED}}never{{/NEVER_DEPLOYED}}</td></tr>
{{/TENANT}}
</tbody>
</table>{{/HAS_TENANTS}}
{{#CAN_CREATE}}<p><a class="button" href="/tenants/new">New tenant</a></p>{{/CAN_CREATE}}
</section>
{{#FLEET}}<section>
<h2>Fleet</h2>
<dl class="facts">
<dt>Online</dt><dd>{{ONLINE}}</dd>
<dt>Offline</dt><dd>{{OFFLINE}}</dd>
<dt>Never seen</dt><dd>{{PENDING}}</dd>
<dt>Drifted</dt><dd>{{DRIFTED}}</dd>
</dl>
{{#FAILED_NODE}}<p class="form-error">{{CLUSTER}}/{{NAME}}: last apply failed: {{REASON}}</p>{{/FAILED_NODE}}
<p><a href="/edges">Edges</a></p>
</section>{{/FLEET}}
</div>
