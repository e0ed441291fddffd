{{%AUTOESCAPE context="HTML"}}{{>TENANT_NAV}}
<div class="grid">
<section><h2>Domains</h2><ul>{{#DOMAIN}}<li>{{NAME}}</li>{{/DOMAIN}}</ul></section>
<section><h2>Upstream pools</h2><ul>{{#POOL}}<li>{{NAME}} ({{TARGETS}})</li>{{/POOL}}</ul></section>
<section><h2>Clusters</h2><ul>{{#CLUSTER}}<li>{{NAME}}</li>{{/CLUSTER}}</ul></section>
<section><h2>Recent deployments</h2><ul>{{#DEPLOYMENT}}<li><a href="/tenants/{{TENANT_ID}}/deployments/{{ID}}">#{{ID}}</a> {{STATUS}} · {{MESSAGE}} · {{CREATED_AT}}</li>{{/DEPLOYMENT}}</ul></section>
</div>
{{#LAST_DEPLOYMENT}}<h2>What the edges run of <a href="/tenants/{{TENANT_ID}}/deployments/{{ID}}">deployment {{ID}}</a></h2>
{{#NO_NODES}}<p>No edge node in the tenant's clusters yet.</p>{{/NO_NODES}}
{{#HAS_NODES}}<table><thead><tr><th>Cluster</th><th>Node</th><th>Release</th><th>State</th></tr></thead><tbody>
{{#NODE}}<tr><td>{{CLUSTER}}</td><td>{{NODE}}</td><td>version {{VERSION}}</td><td><span class="badge state-{{STATE}}">{{STATE}}</span></td></tr>{{/NODE}}
</tbody></table>{{/HAS_NODES}}{{/LAST_DEPLOYMENT}}
