{{%AUTOESCAPE context="HTML"}}<h1>Security</h1>
<h2>Sessions</h2>
<table><thead><tr><th>Signed in</th><th>Last seen</th><th>Address</th><th>Browser</th><th></th></tr></thead><tbody>
{{#SESSION}}<tr><td>{{SIGNED_IN_AT}}</td><td>{{LAST_SEEN_AT}}</td><td>{{ADDRESS}}</td><td>{{USER_AGENT}}</td><td>{{#CURRENT}}this one{{/CURRENT}}</td></tr>{{/SESSION}}
</tbody></table>
<form method="post" action="/settings/security/sign-out-everywhere" data-confirm="End every session of yours, this one included?">
<input type="hidden" name="csrf" value="{{CSRF}}">
<button type="submit" class="danger">Sign out everywhere</button>
</form>
