{{%AUTOESCAPE context="HTML"}}{{>TENANT_NAV}}
<h2>Preview</h2>
{{#CANNOT_DEPLOY}}<p class="notice">{{REASON}}</p>{{/CANNOT_DEPLOY}}
{{#WARNING}}<p class="notice" role="note">Note: {{TEXT}}</p>{{/WARNING}}
{{#CLUSTER}}<span class="badge">{{NAME}}</span> {{/CLUSTER}}
<div class="diff-scroll" tabindex="0" role="region" aria-label="Changes"><table class="diff">
{{#DIFF_LINE}}<tr class="{{KIND}}"><td class="ln">{{OLD}}</td><td class="ln">{{NEW}}</td><td class="code">{{#RUN}}{{#PLAIN}}{{TEXT}}{{/PLAIN}}{{#STYLED}}<span class="{{CLASS}}">{{TEXT}}</span>{{/STYLED}}{{/RUN}}</td></tr>
{{/DIFF_LINE}}
</table></div>
{{#CAN_DEPLOY}}<form method="post" action="/tenants/{{TENANT_ID}}/deployments" class="stacked deploy-form">
<input type="hidden" name="csrf" value="{{CSRF}}">
{{#WAS_REFUSED}}<p class="form-error" role="alert">Not deployed: <span class="nginx-output">{{REFUSED}}</span></p>{{/WAS_REFUSED}}
<label for="message">Message</label>
<input id="message" name="message" maxlength="500" value="{{TYPED_MESSAGE}}">
<button type="submit" data-busy="Deploying…">Deploy</button>
</form>{{/CAN_DEPLOY}}
