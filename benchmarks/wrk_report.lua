-- wrk's summary as one machine-readable line (latencies in microseconds).
done = function(summary, latency, requests)
  io.write(string.format(
    "BENCH requests=%d duration_us=%d p50_us=%d p95_us=%d status_errors=%d socket_errors=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
