{{%AUTOESCAPE context="HTML"}}<h1>Edges</h1>
{{#ISSUED}}<section class="notice" role="status">
<p>Enrolment token for cluster <strong>{{CLUSTER}}</strong>: one node can enrol with it until {{EXPIRES_AT}}. It is shown only once.</p>
<p>On the node:</p>
<p><code class="secret" id="enroll-command">{{COMMAND}}</code> <button type="button" data-copy="enroll-command">Copy</button></p>
</section>{{/ISSUED}}
<h2>Clusters</h2>
<table>
<thead><tr><th>Cluster</th><th>Since</th><th></th></tr></thead>
<tbody>
{{#CLUSTER}}<tr><td>{{NAME}}</td><td>{{CREATED_AT}}</td><td>{{#CAN_EDIT}}
<form method="post" action="/edges/clusters/{{ID}}/enrollment-token" class="inline">
<input type="hidden" name="csrf" value="{{CSRF}}"><button type="submit">Enrolment token</button></form>
<form method="post" action="/edges/clusters/{{ID}}/delete" class="inline" data-confirm="Delete this cluster?">
<input type="hidden" name="csrf" value="{{CSRF}}"><button type="submit" class="danger">Delete</button></form>{{/CAN_EDIT}}</td></tr>
{{/CLUSTER}}
</tbody>
</table>
{{#CAN_EDIT}}<form method="post" action="/edges/clusters" class="stacked">
<input type="hidden" name="csrf" value="{{CSRF}}">
{{#HAS_ERROR}}<p class="form-error" role="alert">{{ERROR}}</p>{{/HAS_ERROR}}
<label for="cluster-name">Cluster name</label>
<input id="cluster-name" name="name" required value="{{TYPED_NAME}}">
<button type="submit">Create cluster</button>
</form>{{/CAN_EDIT}}
<h2>Nodes</h2>
{{#NO_NODES}}<p>No node has enrolled yet: make an enrolment token for its cluster.</p>{{/NO_NODES}}
{{#HAS_NODES}}<table>
<thead><tr><th>Node</th><th>Cluster</th><th>Status</th><th>Version</th><th>Last seen</th><th>Last result</th><th></th></tr></thead>
<tbody>
{{#NODE}}<tr><td><a href="/edges/clusters/{{CLUSTER_ID}}/nodes/{{NODE_ID}}">{{NAME}}</a></td><td>{{CLUSTER}}</td><td><span class="badge state-{{LIVENESS}}">{{LIVENESS}}</span>{{#DRIFT}} <span class="badge state-failed">drift</span>{{/DRIFT}}{{#DRAINED}} <span class="badge">drained</span>{{/DRAINED}}</td><td>{{VERSION}}</td><td>{{LAST_SEEN}}</td><td>{{LAST_RESULT}}</td><td>{{#CAN_EDIT}}
<form method="post" action="/edges/clusters/{{CLUSTER_ID}}/nodes/{{NODE_ID}}" class="inline"><input type="hidden" name="csrf" value="{{CSRF}}">
{{#NOT_DRAINED}}<input type="hidden" name="drained" value="yes"><button type="submit">Drain</button>{{/NOT_DRAINED}}
{{#IS_DRAINED}}<input type="hidden" name="drained" value="no"><button type="submit">Undrain</button>{{/IS_DRAINED}}</form>
<form method="post" action="/edges/clusters/{{CLUSTER_ID}}/nodes/{{NODE_ID}}/delete" class="inline" data-confirm="Delete this node? Its credential stops working at once.">
<input type="hidden" name="csrf" value="{{CSRF}}"><button type="submit" class="danger">Delete</button></form>{{/CAN_EDIT}}</td></tr>{{/NODE}}
</tbody>
</table>{{/HAS_NODES}}
