{{%AUTOESCAPE context="HTML"}}{{>TENANT_NAV}}
<h2>Edge policy</h2>
<form method="post" action="/tenants/{{TENANT_ID}}/policy" class="stacked">
<input type="hidden" name="csrf" value="{{CSRF}}">
{{#ERROR_BESIDE_FIELD}}<p class="form-error" role="alert">Not saved: the value marked below was refused.</p>{{/ERROR_BESIDE_FIELD}}
{{#ERROR_ON_TOP}}<p class="form-error" role="alert">Not saved: {{ERROR}}</p>{{/ERROR_ON_TOP}}
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
{{#ERROR_AT_HEADER_NAME}}<p class="form-error">{{ERROR}}</p>{{/ERROR_AT_HEADER_NAME}}{{#ERROR_AT_HEADER_VALUE}}<p class="form-error">{{ERROR}}</p>{{/ERROR_AT_HEADER_VALUE}}
</fieldset>
<fieldset>
<legend>Rate limit</legend>
<p class="hint">Per client address; leave empty for no limit.</p>
<label for="rps">Requests per second</label>
<input id="rps" name="rps" inputmode="numeric" value="{{RPS}}">
<label for="burst">Burst</label>
<input id="burst" name="burst" inputmode="numeric" value="{{BURST}}">
{{#ERROR_AT_RPS}}<p class="form-error">{{ERROR}}</p>{{/ERROR_AT_RPS}}{{#ERROR_AT_BURST}}<p class="form-error">{{ERROR}}</p>{{/ERROR_AT_BURST}}{{#ERROR_AT_RATE_LIMIT}}<p class="form-error">{{ERROR}}</p>{{/ERROR_AT_RATE_LIMIT}}
</fieldset>
<label for="allowlist">IP allowlist (one CIDR a line; empty allows everyone)</label>
<textarea id="allowlist" name="allowlist" rows="3">{{ALLOWLIST:pre_escape}}</textarea>
{{#ERROR_AT_ALLOWLIST}}<p class="form-error">{{ERROR}}</p>{{/ERROR_AT_ALLOWLIST}}
<label for="cors-origins">CORS origins (one a line, e.g. https://app.example.com, or *)</label>
<textarea id="cors-origins" name="cors_origins" rows="2">{{CORS_ORIGINS:pre_escape}}</textarea>
{{#ERROR_AT_CORS_ORIGINS}}<p class="form-error">{{ERROR}}</p>{{/ERROR_AT_CORS_ORIGINS}}
<label for="cache-ttl">Cache lifetime in seconds (0 = no caching)</label>
<input id="cache-ttl" name="cache_ttl" inputmode="numeric" value="{{CACHE_TTL}}">
{{#ERROR_AT_CACHE_TTL}}<p class="form-error">{{ERROR}}</p>{{/ERROR_AT_CACHE_TTL}}
<label for="max-body">Largest request body in bytes (0 = unlimited)</label>
<input id="max-body" name="max_body" inputmode="numeric" value="{{MAX_BODY}}">
{{#ERROR_AT_MAX_BODY}}<p class="form-error">{{ERROR}}</p>{{/ERROR_AT_MAX_BODY}}
<label class="check"><input type="checkbox" name="compression" {{#COMPRESSION_ON}}checked{{/COMPRESSION_ON}}> Compression</label>
<label class="check"><input type="checkbox" name="security_headers" {{#SECURITY_HEADERS_ON}}checked{{/SECURITY_HEADERS_ON}}> Security headers (X-Content-Type-Options, X-Frame-Options, Referrer-Policy)</label>
</fieldset>
{{#CAN_EDIT}}<button type="submit">Save policy</button>{{/CAN_EDIT}}
</form>
