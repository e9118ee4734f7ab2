-- wrk: POST /tasks with a realistic body; the token comes from the TOKEN environment variable.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
local titles = {"Write quarterly report", "Fix login redirect bug", "Review pull request #482", "Plan team offsite"}
local n = 0
request = function()
  n = n + 1
  local body = string.format('{"title":"%s","description":"Collect numbers from finance and summarise the main trends.","priority":"high","category_name":"Work"}', titles[n % 4 + 1])
  return wrk.format(nil, nil, nil, body)
end
