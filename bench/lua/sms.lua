-- wrk script: signed Twilio webhooks for /sms from a pool of phones.
-- Every request has a MessageSid never sent before (thread, run nonce and
-- a counter), signed here as it is made, so that replay protection is
-- passed as for real traffic and never answers from its record. Each
-- phone walks the same ls / cd / more cycle through a paged folder.
package.path = os.getenv("BENCH_LUA") .. "/?.lua;" .. package.path
local common = require("common")

local url = common.env("BENCH_URL") .. "/sms"
local token = common.env("BENCH_TOKEN")
local phones = tonumber(common.env("BENCH_PHONES"))
local first_phone = tonumber(common.env("BENCH_PHONE_FIRST"))
local nthreads = tonumber(common.env("BENCH_THREADS"))
local nonce = common.env("BENCH_NONCE")
local stop_after = tonumber(common.env("BENCH_STOP_AFTER", "0"))
local account_sid = "AC" .. string.rep("0", 31) .. "1"
local service_number = "+15005550006"

-- The state a phone is in outlives a run, so the cycle starts from the
-- top; BENCH_CYCLE ("ls,more") sends another, to look at one command alone
local cycle = { "reset", "ls", "cd 1", "ls", "cd 1", "ls", "more", "more", "cd ..", "cd .." }
if os.getenv("BENCH_CYCLE") then
    cycle = {}
    for command in os.getenv("BENCH_CYCLE"):gmatch("[^,]+") do cycle[#cycle + 1] = command end
end

local my_phones, steps, next_phone = {}, {}, 1
local sent = 0
-- read by done() through thread:get()
answered, errors = 0, 0

setup = common.setup

function init(args)
    for j = thread_id, phones - 1, nthreads do
        my_phones[#my_phones + 1] = string.format("+%d", first_phone + j)
        steps[#my_phones] = 0
    end
    if #my_phones == 0 then error("bench: fewer phones than threads") end
end

local function webhook(phone, body, sid)
    return {
        { "ToCountry", "US" }, { "ToState", "CA" }, { "SmsMessageSid", sid },
        { "NumMedia", "0" }, { "ToCity", "" }, { "FromZip", "" },
        { "SmsSid", sid }, { "FromState", "" }, { "SmsStatus", "received" },
        { "FromCity", "" }, { "Body", body }, { "FromCountry", "US" },
        { "To", service_number }, { "ToZip", "" }, { "NumSegments", "1" },
        { "MessageSid", sid }, { "AccountSid", account_sid }, { "From", phone },
        { "ApiVersion", "2010-04-01" },
    }
end

function request()
    local i = next_phone
    next_phone = next_phone % #my_phones + 1
    local body = cycle[steps[i] % #cycle + 1]
    steps[i] = steps[i] + 1
    sent = sent + 1
    local sid = string.format("SM%02x%s%022x", thread_id, nonce, sent)
    local params = webhook(my_phones[i], body, sid)
    return wrk.format("POST", "/sms", {
        ["Content-Type"] = "application/x-www-form-urlencoded",
        ["X-Twilio-Signature"] = common.twilio_signature(token, url, params),
    }, common.form_encode(params))
end

function response(status, headers, body)
    answered = answered + 1
    if status ~= 200 or not body:find("<Message>", 1, true) then
        errors = errors + 1
        if errors <= 3 then
            io.stderr:write(string.format("bench: /sms answered %d: %s\n", status, body:sub(1, 200)))
        end
    end
    if stop_after > 0 and answered == stop_after then
        -- wrk itself sleeps out -d; bench/run interrupts it once every
        -- thread has said it is done
        wrk.thread:stop()
        io.open(string.format("%s/done-%d", common.env("BENCH_DONE_DIR"), thread_id), "w"):close()
    end
end

function done(summary, latency, requests)
    local answered_all, errors_all = 0, 0
    for _, t in ipairs(common.threads()) do
        answered_all = answered_all + (t:get("answered") or 0)
        errors_all = errors_all + (t:get("errors") or 0)
    end
    io.write(string.format("BENCH answered=%d bad=%d\n", answered_all, errors_all))
end
