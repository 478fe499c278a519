#!/bin/sh
# Smoke test of t/fake/fakeapi.py: start it, poke the main endpoints with curl,
# stop it.  Exits non-zero on the first mismatch.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
pid=
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

fail() { echo "selftest: FAIL: $*" >&2; exit 1; }
ok() { echo "ok - $*"; }

/usr/bin/python3 "$here/fakeapi.py" --twilio-port 0 --kloudless-port 0 \
    --ready-file "$tmp/ready" &
pid=$!
i=0
while [ ! -s "$tmp/ready" ]; do
    i=$((i + 1))
    [ $i -gt 100 ] && fail "fake not ready after 10 s"
    kill -0 "$pid" 2>/dev/null || fail "fake exited early"
    sleep 0.1
done
# shellcheck disable=SC1091
. "$tmp/ready"
TW=$SMSCLOUD_FAKE_TWILIO
KL=$SMSCLOUD_FAKE_KLOUDLESS
SID=AC00000000000000000000000000000001
TOKEN=test_auth_token_0123456789abcdef
KAUTH="Authorization: APIKey test_kloudless_api_key"

# req OUTFILE curl-args... -> prints the HTTP status, body goes to OUTFILE
req() { out=$1; shift; curl -s -o "$out" -w '%{http_code}' "$@"; }
# jget FILE EXPR -> evaluates a Python expression over the parsed JSON `j`
jget() { /usr/bin/python3 -c "import json,sys; j=json.load(open(sys.argv[1])); v=($2); print(v)" "$1"; }
expect() { [ "$2" = "$3" ] || fail "$1: expected '$3', got '$2'"; ok "$1"; }

# --- Twilio --------------------------------------------------------------
msgs="$TW/2010-04-01/Accounts/$SID/Messages.json"
st=$(req "$tmp/b" -u "$SID:$TOKEN" --data-urlencode To=+15551234567 \
    --data-urlencode From=+15557654321 --data-urlencode "Body=Your code is 123456" "$msgs")
expect "twilio send status" "$st" 201
expect "twilio send sid" "$(jget "$tmp/b" 'len(j["sid"]) == 34 and j["sid"][:2] == "SM" and j["status"]')" queued
st=$(req "$tmp/m" "$TW/_fake/messages")
expect "messages status" "$st" 200
expect "messages content" "$(jget "$tmp/m" 'len(j), j[0]["to"], j[0]["body"]')" \
    "(1, '+15551234567', 'Your code is 123456')"
st=$(req "$tmp/b" -u "$SID:$TOKEN" -d To=%2B15005550001 -d From=%2B15557654321 -d Body=x "$msgs")
expect "twilio magic 21211" "$st/$(jget "$tmp/b" 'j["code"]')" 400/21211
st=$(req "$tmp/b" -u "$SID:wrong" -d To=%2B15551234567 -d From=%2B1555 -d Body=x "$msgs")
expect "twilio bad auth" "$st/$(jget "$tmp/b" 'j["code"]')" 401/20003
st=$(req "$tmp/b" -u "$SID:$TOKEN" -d To=%2B15551234567 -d From=%2B1555 "$msgs")
expect "twilio no body" "$st/$(jget "$tmp/b" 'j["code"]')" 400/21602
st=$(req "$tmp/r" "$TW/_fake/requests")
expect "twilio recorded" "$(jget "$tmp/r" 'len(j), j[0]["form"]["To"], j[0]["headers"]["content-type"]')" \
    "(4, ['+15551234567'], 'application/x-www-form-urlencoded')"

# Scripted failure: one 429, then normal again.
st=$(req /dev/null -X POST -d '{"twilio":{"status":429,"times":1}}' "$TW/_fake/script")
expect "script accepted" "$st" 204
st=$(req "$tmp/b" -u "$SID:$TOKEN" -d To=%2B15551234567 -d From=%2B1555 -d Body=x "$msgs")
expect "twilio scripted 429" "$st/$(jget "$tmp/b" 'j["code"]')" 429/20429
st=$(req "$tmp/b" -u "$SID:$TOKEN" -d To=%2B15551234567 -d From=%2B1555 -d Body=x "$msgs")
expect "twilio after times ran out" "$st" 201

# --- Kloudless -----------------------------------------------------------
A=$KL/v1/accounts/1234567890
st=$(req "$tmp/b" -H "$KAUTH" "$A")
expect "kloudless account" "$st/$(jget "$tmp/b" 'j["service"], j["id"]')" "200/('dropbox', 1234567890)"
st=$(req "$tmp/b" -H "Authorization: APIKey nope" "$A")
expect "kloudless bad key" "$st/$(jget "$tmp/b" 'j["error_code"]')" 401/unauthorized
st=$(req "$tmp/b" -H "$KAUTH" "$KL/v1/accounts/999")
expect "kloudless unknown account" "$st/$(jget "$tmp/b" 'j["error_code"]')" 404/not_found

# Walk the 500 photos with next_page, as the module must.
page=1 total=0 pages=0 last=
while [ -n "$page" ] && [ "$page" != None ]; do
    st=$(req "$tmp/b" -H "$KAUTH" "$A/storage/folders/fold_photos/contents?page=$page&page_size=150")
    [ "$st" = 200 ] || fail "contents page $page: status $st"
    total=$((total + $(jget "$tmp/b" 'j["count"]')))
    last=$(jget "$tmp/b" 'j["objects"][-1]["name"]')
    page=$(jget "$tmp/b" 'j["next_page"]')
    pages=$((pages + 1))
done
expect "photos paged" "$total/$pages/$last" 500/4/IMG_0500.jpg
st=$(req "$tmp/b" -H "$KAUTH" "$A/storage/folders/fold_photos/contents")
expect "default page_size" "$(jget "$tmp/b" 'j["count"], j["next_page"]')" "(100, 2)"
st=$(req "$tmp/b" -H "$KAUTH" "$A/storage/folders/file_notes/contents")
expect "file as folder" "$st" 400

st=$(req "$tmp/b" -H "$KAUTH" -H "Content-Type: application/json" \
    -d '{"file_id":"file_report","direct":true}' "$A/storage/links")
expect "link create" "$st/$(jget "$tmp/b" 'j["url"], j["file_id"], j["direct"]')" \
    "201/('https://dl.example.test/l/lnk_1', 'file_report', True)"
st=$(req "$tmp/b" -H "$KAUTH" -H "Content-Type: application/json" -d '{"file_id":"nope"}' "$A/storage/links")
expect "link unknown file" "$st" 404

# Truncated answer: Content-Length must match the cut body.
req /dev/null -X POST -d '{"kloudless":{"truncate":true,"paths":"/files/"}}' "$KL/_fake/script" >/dev/null
st=$(req "$tmp/b" -H "$KAUTH" "$A/storage/files/file_notes")
jget "$tmp/b" 1 >/dev/null 2>&1 && fail "truncated body still parses"
ok "truncate"

# --- OAuth ---------------------------------------------------------------
cb="http://127.0.0.1:9/cb"
loc=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' \
    "$KL/v1/oauth/?client_id=test_app_id&response_type=code&redirect_uri=$cb&scope=all&state=xyz")
case "$loc" in
"302 $cb?code="*"&state=xyz") ok "oauth authorize" ;;
*) fail "oauth authorize: got '$loc'" ;;
esac
code=${loc#*code=}
code=${code%%&*}
tok_form="-d grant_type=authorization_code -d code=$code --data-urlencode redirect_uri=$cb -d client_id=test_app_id -d client_secret=test_kloudless_api_key"
# shellcheck disable=SC2086
st=$(req "$tmp/b" $tok_form "$KL/v1/oauth/token")
expect "oauth token" "$st/$(jget "$tmp/b" 'j["token_type"], j["access_token"][:4]')" "200/('Bearer', 'tok_')"
tok=$(jget "$tmp/b" 'j["access_token"]')
# shellcheck disable=SC2086
st=$(req "$tmp/b" $tok_form "$KL/v1/oauth/token")
expect "oauth code single use" "$st/$(jget "$tmp/b" 'j["error"]')" 400/invalid_grant
st=$(req "$tmp/b" -H "Authorization: Bearer $tok" "$KL/v1/oauth/token")
expect "oauth token info" "$st/$(jget "$tmp/b" 'j["client_id"], j["account_id"]')" "200/('test_app_id', 1234567890)"
st=$(req "$tmp/b" -H "Authorization: Bearer $tok" "$KL/v1/accounts/me")
expect "bearer accounts/me" "$st/$(jget "$tmp/b" 'j["account"]')" 200/alice@example.com
st=$(req "$tmp/b" -H "Authorization: Bearer tok_bogus" "$KL/v1/oauth/token")
expect "oauth bad token" "$st" 401

# --- reset ---------------------------------------------------------------
st=$(req /dev/null -X POST "$KL/_fake/reset")
expect "reset" "$st" 204
req "$tmp/r" "$TW/_fake/messages" >/dev/null
expect "reset clears messages" "$(jget "$tmp/r" 'len(j)')" 0
st=$(req "$tmp/b" -H "$KAUTH" "$A/storage/files/file_notes")
expect "reset clears script" "$st/$(jget "$tmp/b" 'j["size"]')" 200/1234

kill "$pid"
wait "$pid" || fail "fake exited with status $?"
pid=
[ -e "$tmp/ready" ] && fail "ready file left behind"
ok "clean shutdown"
echo "selftest: all passed"
