-- Helpers shared by the wrk scripts of bench/run: a wall clock, Twilio's
-- webhook signature (HMAC-SHA1 through OpenSSL, via LuaJIT's FFI: wrk's Lua
-- is LuaJIT), form encoding, and the per-thread results that done() adds up.
local ffi = require("ffi")

ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clk, bench_timespec *ts);
const void *EVP_sha1(void);
unsigned char *HMAC(const void *md, const void *key, int key_len,
                    const unsigned char *d, size_t n,
                    unsigned char *md_out, unsigned int *md_len);
int EVP_EncodeBlock(unsigned char *t, const unsigned char *f, int n);
]]

local crypto = ffi.load("libcrypto.so.3")
local M = {}

local ts = ffi.new("bench_timespec")
function M.now_ms()
    ffi.C.clock_gettime(1, ts)          -- CLOCK_MONOTONIC
    return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local digest = ffi.new("unsigned char[20]")
local digest_len = ffi.new("unsigned int[1]")
local b64 = ffi.new("unsigned char[32]")
function M.hmac_sha1_base64(key, data)
    crypto.HMAC(crypto.EVP_sha1(), key, #key, data, #data, digest, digest_len)
    local n = crypto.EVP_EncodeBlock(b64, digest, digest_len[0])
    return ffi.string(b64, n)
end

function M.form_escape(s)
    return (s:gsub("[^%w%-%._~ ]", function(c)
        return string.format("%%%02X", c:byte())
    end):gsub(" ", "+"))
end

-- pairs: array of {name, value}
function M.form_encode(pairs)
    local out = {}
    for i, p in ipairs(pairs) do
        out[i] = M.form_escape(p[1]) .. "=" .. M.form_escape(p[2])
    end
    return table.concat(out, "&")
end

-- Twilio: URL, then every name immediately followed by its value, names
-- sorted (one value per name in a webhook).
function M.twilio_signature(token, url, pairs)
    local sorted = {}
    for i, p in ipairs(pairs) do sorted[i] = p end
    table.sort(sorted, function(a, b) return a[1] < b[1] end)
    local parts = { url }
    for _, p in ipairs(sorted) do parts[#parts + 1] = p[1] .. p[2] end
    return M.hmac_sha1_base64(token, table.concat(parts))
end

function M.env(name, default)
    local v = os.getenv(name)
    if v == nil or v == "" then
        if default == nil then error("bench: " .. name .. " is not set") end
        return default
    end
    return v
end

-- Threads: setup() numbers them (the global thread_id of each); done()
-- reads the globals each one kept with thread:get().
local threads = {}
function M.setup(thread)
    thread:set("thread_id", #threads)
    threads[#threads + 1] = thread
end

function M.threads() return threads end

-- Percentiles of the millisecond lists that the threads kept.
function M.percentiles(lists, ps)
    local all = {}
    for _, list in ipairs(lists) do
        for _, v in ipairs(list) do all[#all + 1] = v end
    end
    table.sort(all)
    local out = {}
    for i, p in ipairs(ps) do
        out[i] = #all > 0 and all[math.max(1, math.ceil(#all * p))] or 0
    end
    return out, #all
end

return M
