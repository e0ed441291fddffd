{{%AUTOESCAPE context="HTML"}}{{>TENANT_NAV}}
<h2>Settings</h2>
{{#HAS_ERROR}}<p class="form-error" role="alert">{{ERROR}}</p>{{/HAS_ERROR}}
<p>Status: <span class="badge">{{STATUS}}</span>. A suspended or archived tenant renders nothing at its next deployment.</p>
{{#CAN_EDIT}}<form method="post" action="/tenants/{{TENANT_ID}}/settings" class="stacked">
<input type="hidden" name="csrf" value="{{CSRF}}">
<label for="status">Status</label>
<select id="status" name="status">{{#OPTION}}<option {{#SELECTED}}selected{{/SELECTED}}>{{VALUE}}</option>{{/OPTION}}</select>
<button type="submit">Save status</button>
</form>{{/CAN_EDIT}}
{{#CAN_DELETE}}<h3>Delete the tenant</h3>
<p>Unassign it from every cluster and deploy first, so that its files leave every edge.</p>
<form method="post" action="/tenants/{{TENANT_ID}}/delete" class="stacked">
<input type="hidden" name="csrf" value="{{CSRF}}">
<label for="confirm-slug">Type the slug <code>{{SLUG}}</code> to confirm</label>
<input id="confirm-slug" name="confirm_slug" autocomplete="off">
<button type="submit" class="danger">Delete tenant</button>
</form>{{/CAN_DELETE}}
