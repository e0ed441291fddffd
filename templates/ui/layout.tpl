{{%AUTOESCAPE context="HTML"}}<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{TITLE}} · Vantus</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="{{CSS_URL}}">
<script src="{{JS_URL}}" defer></script>
</head>
<body>
<header class="top">
<a class="brand" href="/">Vantus</a>
{{#SIGNED_IN}}
<nav class="main-nav" aria-label="Main">
<a href="/">Dashboard</a>
<a href="/tenants">Tenants</a>
{{#SHOW_EDGES}}<a href="/edges">Edges</a>{{/SHOW_EDGES}}
{{#SHOW_AUDIT}}<a href="/users">Users</a>
<a href="/audit">Audit</a>{{/SHOW_AUDIT}}
<a href="/settings/api-tokens">API tokens</a>
<a href="/settings/security">Security</a>
</nav>
<form class="signout" method="post" action="/logout">
<input type="hidden" name="csrf" value="{{CSRF}}">
<span class="who">{{USER_EMAIL}}</span>
<button type="submit">Sign out</button>
</form>
{{/SIGNED_IN}}
</header>
<main>
{{>CONTENT}}
</main>
</body>
</html>
