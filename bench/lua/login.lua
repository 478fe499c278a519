-- wrk script: web logins, each a POST /login, a read of the code from the
-- outbox (GET /demo/outbox?to=) and a POST /verify. Run with one
-- connection per thread (-t N -c N): wrk tells a script which thread a
-- response belongs to but not which connection, and a login is a chain.
-- Every login uses a number never used before, so the per-phone limits
-- are not what is measured (bench/run raises the per-address one).
package.path = os.getenv("BENCH_LUA") .. "/?.lua;" .. package.path
local common = require("common")

local nonce = tonumber(common.env("BENCH_NONCE"), 16) % 1000
-- read by done() through thread:get()
logins, errors, durations = 0, 0, {}
local state = "pre"
local cookies = {}
local csrf, phone, code, started
local serial = 0

setup = common.setup

local function cookie_header()
    local out = {}
    for name, value in pairs(cookies) do out[#out + 1] = name .. "=" .. value end
    return table.concat(out, "; ")
end

local function keep_cookie(headers)
    local c = headers["Set-Cookie"] or headers["set-cookie"]
    if c then
        local name, value = c:match("^([^=;]+)=([^;]*)")
        if name then cookies[name] = value end
    end
end

local function new_phone()
    serial = serial + 1
    -- +1 555 then thread (2), run nonce (3) and serial (5) digits
    phone = string.format("+1555%02d%03d%05d", thread_id % 100, nonce, serial % 100000)
end

local function post(path, fields)
    return wrk.format("POST", path, {
        ["Content-Type"] = "application/x-www-form-urlencoded",
        ["Cookie"] = cookie_header(),
    }, common.form_encode(fields))
end

function request()
    if state == "pre" then
        return wrk.format("GET", "/login")
    elseif state == "login" then
        new_phone()
        started = common.now_ms()
        return post("/login", { { "csrf", csrf }, { "phone", phone } })
    elseif state == "code" then
        return wrk.format("GET", "/demo/outbox?to=" .. common.form_escape(phone))
    else
        return post("/verify", { { "csrf", csrf }, { "code", code } })
    end
end

local function fail(what, status, body)
    errors = errors + 1
    if errors <= 3 then
        io.stderr:write(string.format("bench: %s answered %d: %s\n", what, status, body:sub(1, 200)))
    end
    state = csrf and "login" or "pre"
end

function response(status, headers, body)
    keep_cookie(headers)
    if state == "pre" then
        csrf = body:match('name="csrf" value="([^"]+)"')
        if status ~= 200 or not csrf then return fail("GET /login", status, body) end
        state = "login"
    elseif state == "login" then
        if status ~= 303 then return fail("POST /login", status, body) end
        state = "code"
    elseif state == "code" then
        code = body:match("code is (%d+)")
        if status ~= 200 or not code then return fail("GET /demo/outbox", status, body) end
        state = "verify"
    else
        local location = headers["Location"] or headers["location"] or ""
        if status ~= 303 or not location:find("/connect", 1, true) then
            return fail("POST /verify", status, body)
        end
        logins = logins + 1
        durations[logins] = common.now_ms() - started
        state = "login"
    end
end

function done(summary, latency, requests)
    local total, bad, lists = 0, 0, {}
    for _, t in ipairs(common.threads()) do
        total = total + (t:get("logins") or 0)
        bad = bad + (t:get("errors") or 0)
        lists[#lists + 1] = t:get("durations") or {}
    end
    local p = common.percentiles(lists, { 0.5, 0.99 })
    io.write(string.format("BENCH logins=%d bad=%d login_p50_ms=%.2f login_p99_ms=%.2f per_s=%.1f\n",
        total, bad, p[1], p[2], total / (summary.duration / 1e6)))
end
