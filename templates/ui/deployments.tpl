{{%AUTOESCAPE context="HTML"}}{{>TENANT_NAV}}
<h2>Deployments</h2>
{{#NO_DEPLOYMENTS}}<p>Nothing deployed yet.</p>{{/NO_DEPLOYMENTS}}
<table>
<thead><tr><th>#</th><th>Time</th><th>Actor</th><th>Message</th><th>Kind</th><th>Result per cluster</th></tr></thead>
<tbody>
{{#DEPLOYMENT}}<tr><td><a href="/tenants/{{TENANT_ID}}/deployments/{{ID}}">{{ID}}</a></td><td>{{CREATED_AT}}</td><td>{{ACTOR}}</td><td>{{MESSAGE}}</td><td>{{KIND}}</td>
<td>{{STATUS}}{{#RELEASE}} · {{CLUSTER}} v{{VERSION}}{{/RELEASE}}</td></tr>
{{/DEPLOYMENT}}
</tbody>
</table>
{{#HAS_OLDER}}<p><a href="/tenants/{{TENANT_ID}}/deployments?before={{BEFORE}}">Older</a></p>{{/HAS_OLDER}}
