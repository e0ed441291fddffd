{{%AUTOESCAPE context="HTML"}}<h1>Audit log</h1>
{{#HAS_CHAIN}}<p class="notice">{{CHAIN}}</p>{{/HAS_CHAIN}}
<form method="get" action="/audit" class="filters">
<label for="f-tenant">Tenant id</label><input id="f-tenant" name="tenant" value="{{TENANT}}" inputmode="numeric">
<label for="f-actor">Actor</label><input id="f-actor" name="actor" value="{{ACTOR}}">
<label for="f-action">Action</label><input id="f-action" name="action" value="{{ACTION}}" placeholder="tenant. or tenant.create">
<label for="f-since">Since</label><input id="f-since" name="since" value="{{SINCE}}" placeholder="2026-01-01T00:00:00Z">
<label for="f-until">Until</label><input id="f-until" name="until" value="{{UNTIL}}">
<button type="submit">Filter</button>
</form>
{{#NO_ENTRIES}}<p>No row matches.</p>{{/NO_ENTRIES}}
<table>
<thead><tr><th>#</th><th>Time</th><th>Actor</th><th>Address</th><th>Action</th><th>Target</th><th>Tenant</th></tr></thead>
<tbody>
{{#ENTRY}}<tr><td>{{ID}}</td><td>{{TIME}}</td><td>{{ACTOR}}</td><td>{{ADDRESS}}</td><td><code>{{ACTION}}</code></td><td><code>{{TARGET}}</code></td><td>{{TENANT_ID}}</td></tr>
{{/ENTRY}}
</tbody>
</table>
{{#HAS_OLDER}}<p><a href="/audit?{{QUERY}}">Older</a></p>{{/HAS_OLDER}}
