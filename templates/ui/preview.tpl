{{%AUTOESCAPE context="HTML"}}{{>TENANT_NAV}}
<h2>Preview</h2>
{{#CANNOT_DEPLOY}}<p class="notice">{{REASON}}</p>{{/CANNOT_DEPLOY}}
{{#CLUSTER}}<span class="badge">{{NAME}}</span> {{/CLUSTER}}
<div class="diff-scroll" tabindex="0" role="region" aria-label="Changes"><table class="diff">
{{#DIFF_LINE}}<tr class="{{KIND}}"><td class="ln">{{OLD}}</td><td class="ln">{{NEW}}</td><td class="code">{{TEXT}}</td></tr>
{{/DIFF_LINE}}
</table></div>
{{#CAN_DEPLOY}}<form method="post" action="/tenants/{{TENANT_ID}}/deployments" class="stacked deploy-form">
<input type="hidden" name="csrf" value="{{CSRF}}">
<label for="message">Message</label>
<input id="message" name="message" maxlength="500">
<button type="submit" data-busy="Deploying…">Deploy</button>
</form>{{/CAN_DEPLOY}}
