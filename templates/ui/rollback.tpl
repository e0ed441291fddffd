{{%AUTOESCAPE context="HTML"}}{{>TENANT_NAV}}
<h2>Roll back to deployment {{ID}}?</h2>
<p>The tenant's drafts become what deployment {{ID}} ({{CREATED_AT}}, “{{MESSAGE}}”) deployed, and
they are deployed as a new deployment. History is not rewritten.</p>
<form method="post" action="/tenants/{{TENANT_ID}}/deployments/{{ID}}/rollback" class="stacked">
<input type="hidden" name="csrf" value="{{CSRF}}">
<label for="message">Message</label>
<input id="message" name="message" maxlength="500">
<button type="submit" data-busy="Rolling back…">Confirm rollback</button>
</form>
<p><a href="/tenants/{{TENANT_ID}}/deployments/{{ID}}">Cancel</a></p>
