{{%AUTOESCAPE context="HTML"}}{{>TENANT_NAV}}
<h2>Clusters</h2>
{{#NO_CLUSTERS}}<p>No edge cluster exists yet: a platform admin creates one on <a href="/edges">Edges</a>.</p>{{/NO_CLUSTERS}}
<form method="post" action="/tenants/{{TENANT_ID}}/clusters" class="stacked">
<input type="hidden" name="csrf" value="{{CSRF}}">
{{#CLUSTER}}<label class="check"><input type="checkbox" name="cluster" value="{{ID}}" {{#IS_CHECKED}}checked{{/IS_CHECKED}} {{#READ_ONLY}}disabled{{/READ_ONLY}}> {{NAME}}</label>
{{/CLUSTER}}
{{#CAN_EDIT}}<button type="submit">Save assignments</button>{{/CAN_EDIT}}
</form>
