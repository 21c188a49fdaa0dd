#!/usr/bin/env bash
# Runs the specification's own curl examples against the running demo (npm run demo:up), host, credentials and
# receiver URL substituted, and checks each answer has the spec's shape. Exit 0 = all good.
set -euo pipefail
cd "$(dirname "$0")/.."
stack=.demo/stack.json
[ -f "$stack" ] || { echo "demo-smoke: no $stack; run npm run demo:up first" >&2; exit 1; }
get() { node -e "const s=require('./$stack'); console.log($1)"; }
base="$(get 's.rest_url')fluent-community/v2/admin/webhooks"
admin="$(get 's.admin.user'):$(get 's.admin.app_password')"
member="$(get 's.member.user'):$(get 's.member.app_password')"
receiver="$(get 's.receiver_url')"
fail=0
passed=0
failed=0
# check LABEL JSON JS-EXPRESSION-ON-b: prints ok/FAIL.
check() {
  if node -e "const b=JSON.parse(process.argv[1]); if (!($3)) process.exit(1)" "$2"; then echo "ok   $1"; passed=$((passed + 1)); else echo "FAIL $1: $2"; fail=1; failed=$((failed + 1)); fi
}

out=$(curl -s -X GET "$base" -u "$admin")
check 'Get All Webhooks' "$out" 'Array.isArray(b.webhooks)'

out=$(curl -s -X POST "$base" -u "$admin" -H "Content-Type: application/json" -d '{
    "name": "Slack Notifications",
    "url": "'"$receiver"'/slack",
    "events": ["feed.created", "comment.created", "space.member_joined"],
    "status": "active",
    "retry_count": 3
  }')
check 'Create Webhook' "$out" 'b.id>0 && b.name==="Slack Notifications" && b.status==="active" && b.retry_count===3 && /^whsec_/.test(b.secret) && b.message==="Webhook created successfully." && b.created_at'
id=$(node -e "console.log(JSON.parse(process.argv[1]).id)" "$out")

out=$(curl -s -X PUT "$base/$id" -u "$admin" -H "Content-Type: application/json" -d '{
    "events": ["feed.created", "comment.created", "space.created"],
    "status": "active"
  }')
check 'Update Webhook' "$out" 'b.id==='"$id"' && b.name==="Slack Notifications" && b.events.join()==="feed.created,comment.created,space.created" && b.status==="active" && b.updated_at && b.message==="Webhook updated successfully."'

out=$(curl -s -X POST "$base/$id/test" -u "$admin")
check 'Test Webhook' "$out" 'b.success===true && b.status_code===200 && Number.isInteger(b.response_time) && b.message==="Webhook test successful."'

out=$(curl -s -X GET "$base" -u "$admin")
check 'Get All Webhooks (masked secret)' "$out" 'b.webhooks.some(w => w.id==='"$id"' && /^whsec_.{6}\.\.\.$/.test(w.secret) && w.last_error===null)'

out=$(curl -s -X GET "$base" -u "$member")
check '403 Forbidden' "$out" 'b.code==="rest_forbidden" && b.message==="Sorry, you don'"'"'t have permission to manage webhooks." && b.data.status===403'

out=$(curl -s -X POST "$base" -u "$admin" -H "Content-Type: application/json" -d '{"name":"x","url":"http://api.example.com/webhooks","events":["feed.created"]}')
check '400 Bad Request' "$out" 'b.code==="invalid_url" && b.message==="Webhook URL must use HTTPS protocol." && b.data.status===400'

out=$(curl -s -X DELETE "$base/$id" -u "$admin")
check 'Delete Webhook' "$out" 'b.message==="Webhook deleted successfully."'

out=$(curl -s -X DELETE "$base/$id" -u "$admin")
check '404 Not Found' "$out" 'b.code==="not_found" && b.message==="Webhook not found." && b.data.status===404'

echo "demo-smoke: $passed passed, $failed failed"
exit $fail
