{{%AUTOESCAPE context="HTML"}}<h1>Tenants</h1>
{{#CAN_CREATE}}<p><a class="button" href="/tenants/new">New tenant</a></p>{{/CAN_CREATE}}
<table>
<thead><tr><th>Name</th><th>Slug</th><th>Status</th></tr></thead>
<tbody>
{{#TENANT}}<tr><td><a href="/tenants/{{ID}}">{{NAME}}</a></td><td><code>{{SLUG}}</code></td><td>{{STATUS}}</td></tr>
{{/TENANT}}
</tbody>
</table>
{{#HAS_NEXT}}<p><a href="/tenants?after={{NEXT}}">Next page</a></p>{{/HAS_NEXT}}
