{{%AUTOESCAPE context="HTML"}}<section class="error-page">
<h1>{{HEADLINE}}</h1>
<p class="status">HTTP {{STATUS}}</p>
<p class="message">{{MESSAGE}}</p>
<p>{{ADVICE}}</p>
<p><a href="/">Back to the dashboard</a></p>
</section>
