// fandesk dashboard: draws the charts from the JSON the page carries (no inline script, so the CSP
// holds), one palette, and every bar or point clicks through to the list behind it.
(function () {
  "use strict";
  var palette = ["#3b6fd8", "#ff7a45", "#2ca02c", "#d62728", "#9467bd", "#8c8c8c"];
  var source = document.getElementById("dashboard-data");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var L = data.labels;
  var charts = [];

  function draw(id, option, links) {
    var el = document.getElementById(id);
    if (!el) { return; }
    var chart = echarts.init(el, null, {renderer: "canvas"});
    option.color = palette;
    option.animation = false;
    option.grid = option.grid || {left: 44, right: 16, top: 36, bottom: 28, containLabel: true};
    option.tooltip = option.tooltip || {trigger: "axis"};
    option.textStyle = {fontFamily: "PingFang SC, Noto Sans CJK SC, Microsoft YaHei, sans-serif"};
    chart.setOption(option);
    if (links) {
      chart.on("click", function (params) {
        var url = links(params);
        if (url) { window.location.href = url; }
      });
      el.style.cursor = "pointer";
    }
    charts.push(chart);
  }
  var percent = {type: "value", min: 0, max: 1, axisLabel: {formatter: function (v) { return Math.round(v * 100) + "%"; }}};

  draw("chart-response", {
    legend: {data: [L.comments, L.dms], top: 0},
    xAxis: {type: "category", data: data.response.buckets, axisLabel: {interval: 0, rotate: 30, fontSize: 10}},
    yAxis: {type: "value", minInterval: 1},
    series: [{name: L.comments, type: "bar", data: data.response.comments},
             {name: L.dms, type: "bar", data: data.response.dms}]
  }, function (p) { return p.seriesIndex === 0 ? data.response.links[p.dataIndex] : null; });

  draw("chart-on-time", {
    legend: {data: [L.within, L.reply_rate], top: 0},
    xAxis: {type: "category", data: data.on_time.steps},
    yAxis: percent,
    series: [{name: L.within, type: "line", data: data.on_time.comments, connectNulls: false},
             {name: L.reply_rate, type: "line", data: data.on_time.reply_rate, connectNulls: false}]
  });

  draw("chart-sentiment", {
    legend: {data: [L.positive, L.neutral, L.negative], top: 0},
    color: ["#2ca02c", "#8c8c8c", "#d62728"],
    xAxis: {type: "category", data: data.sentiment.steps},
    yAxis: {type: "value", minInterval: 1},
    series: ["positive", "neutral", "negative"].map(function (s) {
      return {name: L[s], type: "bar", stack: "s", data: data.sentiment[s], itemStyle: {color: {positive: "#2ca02c", neutral: "#8c8c8c", negative: "#d62728"}[s]}};
    })
  }, function (p) { return data.sentiment.links[["positive", "neutral", "negative"][p.seriesIndex]]; });

  draw("chart-causes", {
    legend: {data: [L.previous, L.current], top: 0},
    tooltip: {trigger: "axis"},
    xAxis: {type: "category", data: data.causes.names, axisLabel: {interval: 0, fontSize: 11}},
    yAxis: {type: "value", minInterval: 1},
    series: [{name: L.previous, type: "bar", data: data.causes.previous, itemStyle: {color: "#c9d6ee"}},
             {name: L.current, type: "bar", data: data.causes.current, itemStyle: {color: "#d62728"}}]
  }, function (p) { return p.seriesIndex === 1 ? data.causes.links[p.dataIndex] : null; });

  draw("chart-growth", {
    legend: {data: [L.active, L.new_followers], top: 0},
    xAxis: {type: "category", data: data.growth.steps},
    yAxis: {type: "value", minInterval: 1},
    series: [{name: L.active, type: "bar", data: data.growth.active},
             {name: L.new_followers, type: "line", data: data.growth.new_followers}]
  }, function (p) { return p.seriesIndex === 0 ? data.growth.links.active : data.growth.links.new_followers; });

  draw("chart-contributors", {
    grid: {left: 8, right: 24, top: 8, bottom: 8, containLabel: true},
    tooltip: {trigger: "item"},
    xAxis: {type: "value", minInterval: 1},
    yAxis: {type: "category", data: data.contributors.names, axisLabel: {width: 110, overflow: "truncate"}},
    series: [{name: L.comments_count, type: "bar", data: data.contributors.comments, itemStyle: {color: "#ff7a45"}}]
  }, function (p) { return data.contributors.links[p.dataIndex]; });

  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
