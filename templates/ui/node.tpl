{{%AUTOESCAPE context="HTML"}}<h1>Node {{NAME}} <span class="badge state-{{LIVENESS}}">{{LIVENESS}}</span>{{#DRAINED}} <span class="badge">drained</span>{{/DRAINED}}</h1>
<dl class="facts">
<dt>Cluster</dt><dd>{{CLUSTER}}</dd>
<dt>Enrolled as</dt><dd>{{ENROLLED_NAME}} · {{ENROLLED_AT}}</dd>
<dt>Last seen</dt><dd>{{LAST_SEEN}}</dd>
<dt>Runs release</dt><dd>version {{VERSION}} <code>{{DIGEST}}</code>{{#EXPIRED}} <span class="badge state-failed">expired</span>{{/EXPIRED}}</dd>
<dt>nginx</dt><dd>{{NGINX_VERSION}}</dd>
<dt>Drift</dt><dd>{{#DRIFT}}<span class="badge state-failed">files under current/ differ from the release</span>{{/DRIFT}}{{#NO_DRIFT}}none{{/NO_DRIFT}}</dd>
<dt>Last result</dt><dd>{{LAST_RESULT}} {{LAST_REASON}}</dd>
</dl>
<h2>Identity key</h2>
<pre>{{PUBLIC_KEY}}</pre>
<p><a href="/edges">Back to the edges</a></p>
