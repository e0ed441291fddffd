{{%AUTOESCAPE context="HTML"}}<h1>Tenants</h1>
{{#CAN_CREATE}}<p><a class="button" href="/tenants/new">New tenant</a></p>{{/CAN_CREATE}}
<form method="get" action="/tenants" class="inline search" role="search">
<label for="tenant-search">Search tenants</label>
<input id="tenant-search" name="q" type="search" value="{{SEARCH}}" placeholder="slug, name or domain">
<button type="submit">Search</button>
</form>
{{#NO_TENANTS}}<p>No tenant yet.</p>{{/NO_TENANTS}}
{{#NO_MATCH}}<p>No tenant matches “{{SEARCH}}”. <a href="/tenants">Show all</a></p>{{/NO_MATCH}}
{{#HAS_TENANTS}}<table>
<thead><tr><th>Name</th><th>Slug</th><th>Status</th></tr></thead>
<tbody>
{{#TENANT}}<tr><td><a href="/tenants/{{ID}}">{{NAME}}</a></td><td><code>{{SLUG}}</code></td><td>{{STATUS}}</td></tr>
{{/TENANT}}
</tbody>
</table>{{/HAS_TENANTS}}
{{#HAS_NEXT}}<p><a href="/tenants?{{NEXT_QUERY}}">Next page</a></p>{{/HAS_NEXT}}
