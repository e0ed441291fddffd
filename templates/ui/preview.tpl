{{%AUTOESCAPE context="HTML"}}{{>TENANT_NAV}}
<h2>Preview</h2>
{{#CANNOT_DEPLOY}}<p class="notice">{{REASON}}</p>{{/CANNOT_DEPLOY}}
{{#WARNING}}<p class="notice" role="note">Note: {{TEXT}}</p>{{/WARNING}}
{{#CLUSTER}}<span class="badge">{{NAME}}</span> {{/CLUSTER}}
{{#PRECHECK_PASSED}}<p class="precheck passed"><span class="badge state-applied">nginx -t passed</span> nginx accepts the configuration these drafts would publish.</p>{{/PRECHECK_PASSED}}
{{#PRECHECK_REFUSED}}<div class="precheck refused" id="precheck-refusal" role="alert"><p><span class="badge state-failed">nginx -t failed</span> nginx refuses the configuration these drafts would publish; fix the drafts{{#HAS_OFFENDING}} (<a href="#offending-line">the offending line</a> is marked in the changes below){{/HAS_OFFENDING}}.</p>
<pre class="nginx-output">{{NGINX_REFUSAL:pre_escape}}</pre></div>{{/PRECHECK_REFUSED}}
{{#PRECHECK_UNKNOWN}}<p class="notice">The pre-check could not run: {{PRECHECK_ERROR}}. Deploy runs it again.</p>{{/PRECHECK_UNKNOWN}}
<div class="diff-scroll" tabindex="0" role="region" aria-label="Changes"><table class="diff">
{{#DIFF_LINE}}<tr class="{{KIND}}{{#OFFENDING}} offending{{/OFFENDING}}"{{#OFFENDING}} id="offending-line"{{/OFFENDING}}><td class="ln">{{OLD}}</td><td class="ln">{{NEW}}</td><td class="code">{{#RUN}}{{#PLAIN}}{{TEXT}}{{/PLAIN}}{{#STYLED}}<span class="{{CLASS}}">{{TEXT}}</span>{{/STYLED}}{{/RUN}}</td></tr>
{{/DIFF_LINE}}
</table></div>
{{#WAS_REFUSED}}<p class="form-error" role="alert">Not deployed: <span class="nginx-output">{{REFUSED}}</span></p>{{/WAS_REFUSED}}
{{#CAN_DEPLOY}}<form method="post" action="/tenants/{{TENANT_ID}}/deployments" class="stacked deploy-form">
<input type="hidden" name="csrf" value="{{CSRF}}">
<label for="message">Message</label>
<input id="message" name="message" maxlength="500" value="{{TYPED_MESSAGE}}">
<button type="submit" data-busy="Deploying…">Deploy</button>
</form>{{/CAN_DEPLOY}}
{{#DEPLOY_BLOCKED}}<div class="stacked deploy-form">
<label for="message">Message</label>
<input id="message" name="message" maxlength="500" value="{{TYPED_MESSAGE}}">
<button type="button" disabled aria-describedby="deploy-blocked">Deploy</button>
<p class="form-error" id="deploy-blocked">Deploy is disabled: nginx -t refuses these drafts (see above).</p>
</div>{{/DEPLOY_BLOCKED}}
