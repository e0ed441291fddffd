{{%AUTOESCAPE context="HTML"}}<div class="tenant-head">
<h1>{{TENANT_NAME}} <code>{{TENANT_SLUG}}</code> <span class="badge">{{TENANT_STATUS}}</span></h1>
<nav class="tenant-nav" aria-label="Tenant">
<a href="/tenants/{{TENANT_ID}}" {{#CURRENT_OVERVIEW}}aria-current="page"{{/CURRENT_OVERVIEW}}>Overview</a>
<a href="/tenants/{{TENANT_ID}}/domains" {{#CURRENT_DOMAINS}}aria-current="page"{{/CURRENT_DOMAINS}}>Domains</a>
<a href="/tenants/{{TENANT_ID}}/upstreams" {{#CURRENT_UPSTREAMS}}aria-current="page"{{/CURRENT_UPSTREAMS}}>Upstreams</a>
<a href="/tenants/{{TENANT_ID}}/policy" {{#CURRENT_POLICY}}aria-current="page"{{/CURRENT_POLICY}}>Policy</a>
<a href="/tenants/{{TENANT_ID}}/clusters" {{#CURRENT_CLUSTERS}}aria-current="page"{{/CURRENT_CLUSTERS}}>Clusters</a>
<a href="/tenants/{{TENANT_ID}}/preview" {{#CURRENT_PREVIEW}}aria-current="page"{{/CURRENT_PREVIEW}}>Preview &amp; deploy</a>
<a href="/tenants/{{TENANT_ID}}/deployments" {{#CURRENT_DEPLOYMENTS}}aria-current="page"{{/CURRENT_DEPLOYMENTS}}>Deployments</a>
<a href="/tenants/{{TENANT_ID}}/members" {{#CURRENT_MEMBERS}}aria-current="page"{{/CURRENT_MEMBERS}}>Members</a>
<a href="/tenants/{{TENANT_ID}}/settings" {{#CURRENT_SETTINGS}}aria-current="page"{{/CURRENT_SETTINGS}}>Settings</a>
</nav>
</div>
