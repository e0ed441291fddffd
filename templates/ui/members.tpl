{{%AUTOESCAPE context="HTML"}}{{>TENANT_NAV}}
<h2>Members</h2>
{{#NO_MEMBERS}}<p>No member yet: platform admins manage this tenant.</p>{{/NO_MEMBERS}}
<table>
<thead><tr><th>Email</th><th>Role</th><th></th></tr></thead>
<tbody>
{{#MEMBER}}<tr><td>{{EMAIL}}</td><td>{{ROLE}}</td><td>{{#CAN_EDIT}}
<form method="post" action="/tenants/{{TENANT_ID}}/members/{{USER_ID}}" class="inline">
<input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="email" value="{{EMAIL}}">
<label for="role-{{USER_ID}}">Role</label>
<select id="role-{{USER_ID}}" name="role">{{#OPTION}}<option {{#SELECTED}}selected{{/SELECTED}}>{{VALUE}}</option>{{/OPTION}}</select>
<button type="submit">Save role</button>
</form>
<form method="post" action="/tenants/{{TENANT_ID}}/members/{{USER_ID}}/remove" class="inline" data-confirm="Remove this member from the tenant?">
<input type="hidden" name="csrf" value="{{CSRF}}"><button type="submit" class="danger">Remove</button>
</form>{{/CAN_EDIT}}</td></tr>
{{/MEMBER}}
</tbody>
</table>
{{#CAN_ADD}}<h3>Add a member</h3>
<form method="post" action="/tenants/{{TENANT_ID}}/members" class="stacked">
<input type="hidden" name="csrf" value="{{CSRF}}">
<label for="member-email">Email</label>
<input id="member-email" name="email" type="email" required>
<label for="member-role">Role</label>
<select id="member-role" name="role">{{#ROLE_OPTION}}<option>{{VALUE}}</option>{{/ROLE_OPTION}}</select>
<button type="submit">Add member</button>
</form>{{/CAN_ADD}}
