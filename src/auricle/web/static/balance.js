// The key's balance and its daily audio seconds, from this server's /user/quota (CometAPI's shape).
// Hidden when the server meters nothing, or the key is not accepted.

const DAYS = 14;

function isoDay(date) {
  return date.toISOString().slice(0, 10);
}

function money(value) {
  return value < 0 ? "unlimited" : value.toFixed(4).replace(/\.?0+$/, "");
}

export async function showBalance(box, key) {
  const today = new Date();
  const first = new Date(today.getTime() - (DAYS - 1) * 86_400_000);
  const query = new URLSearchParams({ start_date: isoDay(first), end_date: isoDay(today) });
  let quota;
  try {
    const response = await fetch(`/user/quota?${query}`, { headers: key ? { Authorization: `Bearer ${key}` } : {} });
    if (!response.ok) throw new Error(String(response.status));
    quota = await response.json();
  } catch {
    box.hidden = true;
    return;
  }
  const seconds = [];
  for (let day = 0; day < DAYS; day += 1) {
    const date = isoDay(new Date(first.getTime() + day * 86_400_000));
    const used = (quota.daily_quota?.[date] || []).reduce((sum, entry) => sum + (entry.audio_seconds || 0), 0);
    seconds.push({ date, used });
  }
  const most = Math.max(1, ...seconds.map((day) => day.used));
  const summary = document.createElement("p");
  summary.id = "balance-text";
  summary.textContent = `Balance: ${money(quota.total_quota)} · used ${money(quota.total_used_quota)} ` +
    `· ${quota.audio_seconds_used} s of audio in ${quota.request_count} requests`;
  const chart = document.createElement("div");
  chart.className = "usage-chart";
  chart.setAttribute("role", "img");
  chart.setAttribute("aria-label", `Audio seconds per day, last ${DAYS} days`);
  for (const day of seconds) {
    const bar = document.createElement("span");
    bar.style.height = `${Math.round((day.used / most) * 100)}%`;
    bar.title = `${day.date}: ${day.used} s`;
    chart.append(bar);
  }
  box.replaceChildren(summary, chart);
  box.hidden = false;
}
