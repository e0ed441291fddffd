{{%AUTOESCAPE context="HTML"}}{{>TENANT_NAV}}
<div class="grid">
<section><h2>Domains</h2><ul>{{#DOMAIN}}<li>{{NAME}}</li>{{/DOMAIN}}</ul></section>
<section><h2>Upstream pools</h2><ul>{{#POOL}}<li>{{NAME}} ({{TARGETS}} targets)</li>{{/POOL}}</ul></section>
<section><h2>Clusters</h2><ul>{{#CLUSTER}}<li>{{NAME}}</li>{{/CLUSTER}}</ul></section>
<section><h2>Recent deployments</h2><ul>{{#DEPLOYMENT}}<li><a href="/tenants/{{TENANT_ID}}/deployments/{{ID}}">#{{ID}}</a> {{STATUS}} · {{MESSAGE}} · {{CREATED_AT}}</li>{{/DEPLOYMENT}}</ul></section>
</div>
