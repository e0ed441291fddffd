{{%AUTOESCAPE context="HTML"}}{{>TENANT_NAV}}
<h2>Deployment {{ID}}</h2>
<dl class="facts">
<dt>Status</dt><dd><span class="badge">{{STATUS}}</span> {{STATUS_DETAIL}}</dd>
<dt>Kind</dt><dd>{{KIND}}{{#IS_ROLLBACK}} of <a href="/tenants/{{TENANT_ID}}/deployments/{{ROLLBACK_OF}}">deployment {{ROLLBACK_OF}}</a>{{/IS_ROLLBACK}}</dd>
<dt>By</dt><dd>{{ACTOR}}</dd>
<dt>Message</dt><dd>{{MESSAGE}}</dd>
<dt>Time</dt><dd>{{CREATED_AT}}</dd>
<dt>Commit</dt><dd><code>{{COMMIT}}</code></dd>
</dl>
<h3>Releases</h3>
<ul>{{#RELEASE}}<li>{{CLUSTER}}: version {{VERSION}}</li>{{/RELEASE}}</ul>
<h3>Nodes</h3>
<table class="nodes" data-live-nodes="/tenants/{{TENANT_ID}}/deployments/{{ID}}/nodes">
<thead><tr><th>Cluster</th><th>Node</th><th>State</th><th>Reason</th><th>Signed receipt</th></tr></thead>
<tbody>
{{#NO_NODES}}<tr class="empty"><td colspan="5">No edge node of these clusters has reported yet.</td></tr>{{/NO_NODES}}
{{#NODE}}<tr><td>{{CLUSTER}}</td><td>{{NODE}}</td><td><span class="badge state-{{STATE}}">{{STATE}}</span></td><td>{{REASON}}{{#HAS_OUTPUT}}<pre>{{NGINX_OUTPUT:pre_escape}}</pre>{{/HAS_OUTPUT}}</td><td>{{RECEIPT}}</td></tr>{{/NODE}}
</tbody>
</table>
<h3>Changes</h3>
{{#FIRST_DEPLOYMENT}}<p>The tenant's first deployment.</p>{{/FIRST_DEPLOYMENT}}
{{#CAN_COMPARE}}<form method="get" action="/tenants/{{TENANT_ID}}/deployments/{{ID}}" class="filters">
<label for="against">Compare with deployment</label>
<select id="against" name="against">{{#OTHER}}<option value="{{OTHER_ID}}" {{#SELECTED}}selected{{/SELECTED}}>{{OTHER_ID}}: {{OTHER_MESSAGE}}</option>{{/OTHER}}</select>
<button type="submit">Compare</button>
</form>{{/CAN_COMPARE}}
{{#HAS_AGAINST}}<p>Against deployment {{AGAINST}}.</p>
{{#NO_DIFF}}<p>No file changed.</p>{{/NO_DIFF}}
<div class="diff-scroll" tabindex="0" role="region" aria-label="Changes"><table class="diff">
{{#DIFF_LINE}}<tr class="{{KIND}}"><td class="ln">{{OLD}}</td><td class="ln">{{NEW}}</td><td class="code">{{#RUN}}{{#PLAIN}}{{TEXT}}{{/PLAIN}}{{#STYLED}}<span class="{{CLASS}}">{{TEXT}}</span>{{/STYLED}}{{/RUN}}</td></tr>
{{/DIFF_LINE}}
</table></div>{{/HAS_AGAINST}}
{{#CAN_ROLL_BACK}}<p><a class="button" href="/tenants/{{TENANT_ID}}/deployments/{{ID}}/rollback">Roll back to this deployment</a></p>{{/CAN_ROLL_BACK}}
