{{%AUTOESCAPE context="HTML"}}{{>TENANT_NAV}}
<h2>Edge policy</h2>
<form method="post" action="/tenants/{{TENANT_ID}}/policy" class="stacked">
<input type="hidden" name="csrf" value="{{CSRF}}">
{{#HAS_ERROR}}<p class="form-error" role="alert">{{ERROR}}</p>{{/HAS_ERROR}}
{{#READ_ONLY}}<p class="hint">Your role may read this policy, not change it.</p>{{/READ_ONLY}}
<fieldset class="plain" {{#READ_ONLY}}disabled{{/READ_ONLY}}>
<fieldset>
<legend>Response headers</legend>
<p class="hint">Empty a row to remove its header.</p>
{{#HEADER}}<div class="row">
<label for="header-name-{{INDEX}}">Header name</label>
<input id="header-name-{{INDEX}}" name="header_name" value="{{NAME}}">
<label for="header-value-{{INDEX}}">Header value</label>
<input id="header-value-{{INDEX}}" name="header_value" value="{{VALUE}}">
</div>
{{/HEADER}}
</fieldset>
<fieldset>
<legend>Rate limit</legend>
<label for="rps">Requests per second</label>
<input id="rps" name="rps" inputmode="numeric" value="{{RPS}}">
<label for="burst">Burst</label>
<input id="burst" name="burst" inputmode="numeric" value="{{BURST}}">
</fieldset>
<label for="allowlist">IP allowlist (one CIDR a line)</label>
<textarea id="allowlist" name="allowlist" rows="3">{{ALLOWLIST}}</textarea>
<label class="check"><input type="checkbox" name="compression" {{#COMPRESSION_ON}}checked{{/COMPRESSION_ON}}> Compression</label>
</fieldset>
{{#CAN_EDIT}}<button type="submit">Save policy</button>{{/CAN_EDIT}}
</form>
