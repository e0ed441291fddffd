{{%AUTOESCAPE context="HTML"}}{{>TENANT_NAV}}
<h2>Members</h2>
{{#HAS_ERROR}}<p class="form-error" role="alert">{{ERROR}}</p>{{/HAS_ERROR}}
{{#INVITED_NOTICE}}<section class="notice" role="status">
{{#EMAILED}}<p>An invitation is on its way to {{EMAIL}}. Its link works once, for {{VALID_FOR}}.</p>{{/EMAILED}}
{{#SHOW_LINK}}<p>{{EMAIL}} is invited. Pass this link on: it sets their password, works once, for {{VALID_FOR}}, and is shown only now.</p>
<p><code class="secret" id="invitation-link">{{URL}}</code> <button type="button" data-copy="invitation-link">Copy</button></p>{{/SHOW_LINK}}
</section>{{/INVITED_NOTICE}}
{{#NO_MEMBERS}}<p>No member yet: platform admins manage this tenant.</p>{{/NO_MEMBERS}}
<table>
<thead><tr><th>Email</th><th>Role</th><th></th></tr></thead>
<tbody>
{{#MEMBER}}<tr><td>{{EMAIL}}{{#INVITED}} <span class="badge">invited</span>{{/INVITED}}</td><td>{{ROLE}}</td><td>{{#CAN_EDIT}}
<form method="post" action="/tenants/{{TENANT_ID}}/members/{{USER_ID}}" class="inline">
<input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="email" value="{{EMAIL}}">
<label for="role-{{USER_ID}}">Role</label>
<select id="role-{{USER_ID}}" name="role">{{#OPTION}}<option {{#SELECTED}}selected{{/SELECTED}}>{{VALUE}}</option>{{/OPTION}}</select>
<button type="submit">Save role</button>
</form>
{{#CAN_REINVITE}}<form method="post" action="/tenants/{{TENANT_ID}}/members/{{USER_ID}}/reinvite" class="inline">
<input type="hidden" name="csrf" value="{{CSRF}}"><button type="submit">Send a new invitation</button>
</form>{{/CAN_REINVITE}}
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
<input id="member-email" name="email" type="email" required value="{{TYPED_EMAIL}}">
<label for="member-role">Role</label>
<select id="member-role" name="role">{{#ROLE_OPTION}}<option>{{VALUE}}</option>{{/ROLE_OPTION}}</select>
<p class="hint">An email without an account here is invited: it gets a one-time link that sets its password.</p>
<button type="submit">Add member</button>
</form>{{/CAN_ADD}}
