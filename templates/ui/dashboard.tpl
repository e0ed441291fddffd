{{%AUTOESCAPE context="HTML"}}<h1>Dashboard</h1>
<section>
<h2>My tenants</h2>
{{#NO_TENANTS}}<p>You are a member of no tenant yet.</p>{{/NO_TENANTS}}
<ul class="cards">
{{#TENANT}}<li><a href="/tenants/{{ID}}">{{NAME}}</a> <code>{{SLUG}}</code> <span class="badge">{{STATUS}}</span></li>
{{/TENANT}}
</ul>
{{#CAN_CREATE}}<p><a class="button" href="/tenants/new">New tenant</a></p>{{/CAN_CREATE}}
</section>
