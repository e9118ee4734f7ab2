-- wrk: GET with the token from the TOKEN environment variable.
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
