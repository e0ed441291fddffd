{{%AUTOESCAPE context="HTML"}}<h1>Node {{NAME}} <span class="badge state-{{LIVENESS}}">{{LIVENESS}}</span>{{#DRAINED}} <span class="badge">drained</span>{{/DRAINED}}</h1>
<dl class="facts">
<dt>Cluster</dt><dd>{{CLUSTER}}</dd>
<dt>Enrolled as</dt><dd>{{ENROLLED_NAME}} · {{ENROLLED_AT}}</dd>
<dt>Last heartbeat</dt><dd>{{LAST_SEEN}}</dd>
<dt>Runs release</dt><dd>version {{VERSION}} <code>{{DIGEST}}</code>{{#EXPIRED}} <span class="badge state-failed">expired</span>{{/EXPIRED}}</dd>
<dt>nginx</dt><dd>{{NGINX_VERSION}}</dd>
<dt>Drift</dt><dd>{{#DRIFT}}<span class="badge state-failed">files under current/ differ from the release</span> the agent puts the signed release back and reports it as <em>repaired</em> below, naming the files; a lasting drift means something on the host keeps rewriting them{{/DRIFT}}{{#NO_DRIFT}}none: the files served are the release's{{/NO_DRIFT}}</dd>
<dt>Last result</dt><dd>{{LAST_RESULT}} {{LAST_REASON}}</dd>
</dl>
{{#CAN_EDIT}}<form method="post" action="/edges/clusters/{{CLUSTER_ID}}/nodes/{{NODE_ID}}" class="stacked">
<input type="hidden" name="csrf" value="{{CSRF}}">
<label for="node-name">Node name</label>
<input id="node-name" name="name" required value="{{TYPED_NAME}}" aria-describedby="node-name-hint">
<p class="hint" id="node-name-hint">What this list and the deployment pages call it; its signed reports keep the name it enrolled with.</p>
{{#HAS_ERROR}}<p class="form-error" role="alert">{{ERROR}}</p>{{/HAS_ERROR}}
<button type="submit">Rename node</button>
</form>{{/CAN_EDIT}}
<h2>Releases it ran</h2>
<p class="hint">Each row is a receipt the node signed with its identity key, checked again now.</p>
{{#NO_RECEIPTS}}<p>No receipt yet: the node has not applied a release.</p>{{/NO_RECEIPTS}}
<table>
<thead><tr><th>Received</th><th>Version</th><th>Result</th><th>Serving after</th><th>Reason</th><th>Signature</th></tr></thead>
<tbody>
{{#RECEIPT}}<tr><td>{{RECEIVED_AT}}</td><td>{{VERSION}}</td><td><span class="badge state-{{RESULT}}">{{RESULT}}</span></td><td>{{SERVING}}</td><td>{{REASON}}{{#HAS_OUTPUT}}<pre>{{NGINX_OUTPUT:pre_escape}}</pre>{{/HAS_OUTPUT}}</td><td>{{#VERIFIED}}<span class="badge state-applied">{{CHECK}}</span>{{/VERIFIED}}{{#NOT_VERIFIED}}<span class="badge state-failed">{{CHECK}}</span>{{/NOT_VERIFIED}}</td></tr>
{{/RECEIPT}}
</tbody>
</table>
<h2>Identity key</h2>
<pre>{{PUBLIC_KEY:pre_escape}}</pre>
<p><a href="/edges">Back to the edges</a></p>
