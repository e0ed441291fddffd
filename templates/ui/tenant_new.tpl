{{%AUTOESCAPE context="HTML"}}<h1>New tenant</h1>
<form method="post" action="/tenants" class="stacked">
<input type="hidden" name="csrf" value="{{CSRF}}">
{{#HAS_ERROR}}<p class="form-error" role="alert">{{ERROR}}</p>{{/HAS_ERROR}}
<label for="slug">Slug</label>
<input id="slug" name="slug" required value="{{TYPED_SLUG}}" aria-describedby="slug-hint">
<p class="hint" id="slug-hint">Lower-case letters, digits and dashes; it names the tenant's files.</p>
<label for="name">Name</label>
<input id="name" name="name" required value="{{TYPED_NAME}}">
<button type="submit">Create tenant</button>
</form>
