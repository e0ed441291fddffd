{{%AUTOESCAPE context="HTML"}}{{>TENANT_NAV}}
<h2>Upstream pools</h2>
{{#NO_POOLS}}<p>No pool yet.</p>{{/NO_POOLS}}
{{#POOL}}<section class="pool" aria-label="Pool {{NAME}}">
<h3>{{NAME}}</h3>
<table><thead><tr><th>Host</th><th>Port</th><th>Weight</th><th>Backup</th></tr></thead><tbody>
{{#TARGET}}<tr><td>{{HOST}}</td><td>{{PORT}}</td><td>{{WEIGHT}}</td><td>{{#BACKUP}}yes{{/BACKUP}}</td></tr>{{/TARGET}}
</tbody></table>
{{#CAN_EDIT}}<form method="post" action="/tenants/{{TENANT_ID}}/upstreams/{{ID}}/delete" data-confirm="Delete this pool from the drafts?">
<input type="hidden" name="csrf" value="{{CSRF}}"><button type="submit" class="danger">Delete pool</button></form>{{/CAN_EDIT}}
</section>
{{/POOL}}
{{#CAN_EDIT}}<h3>Add a target</h3>
<p class="hint">A new pool name creates the pool; an existing one gets the target added.</p>
<form method="post" action="/tenants/{{TENANT_ID}}/upstreams" class="stacked">
<input type="hidden" name="csrf" value="{{CSRF}}">
{{#HAS_ERROR}}<p class="form-error" role="alert">{{ERROR}}</p>{{/HAS_ERROR}}
<label for="pool-name">Pool name</label>
<input id="pool-name" name="pool_name" required value="{{TYPED_POOL_NAME}}">
<label for="target-host">Target host</label>
<input id="target-host" name="host" required value="{{TYPED_HOST}}">
<label for="target-port">Target port</label>
<input id="target-port" name="port" inputmode="numeric" required value="{{TYPED_PORT}}">
<label for="target-weight">Weight</label>
<input id="target-weight" name="weight" inputmode="numeric" value="{{TYPED_WEIGHT}}">
<label class="check"><input type="checkbox" name="backup"> Backup</label>
<button type="submit">Save pool</button>
</form>
{{/CAN_EDIT}}
