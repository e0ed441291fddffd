{{%AUTOESCAPE context="HTML"}}<h1>Edges</h1>
<h2>Clusters</h2>
<ul>{{#CLUSTER}}<li>{{NAME}} <span class="hint">since {{CREATED_AT}}</span></li>{{/CLUSTER}}</ul>
{{#CAN_EDIT}}<form method="post" action="/edges/clusters" class="stacked">
<input type="hidden" name="csrf" value="{{CSRF}}">
{{#HAS_ERROR}}<p class="form-error" role="alert">{{ERROR}}</p>{{/HAS_ERROR}}
<label for="cluster-name">Cluster name</label>
<input id="cluster-name" name="name" required value="{{TYPED_NAME}}">
<button type="submit">Create cluster</button>
</form>{{/CAN_EDIT}}
<h2>Nodes</h2>
<table><thead><tr><th>Node</th><th>Status</th></tr></thead><tbody>
{{#NODE}}<tr><td>{{NAME}}</td><td><span class="badge">{{LIVENESS}}</span></td></tr>{{/NODE}}
</tbody></table>
