// The trigger form: the param fields and the conf's JSON view say the same thing. A field's
// change rewrites the JSON; an edit of the JSON (once it is valid JSON) sets the fields. Without
// this script the server still reads both: the fields for the params, the JSON for other keys.
"use strict";

document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("trigger-form");
  var conf = document.getElementById("conf");
  if (!form || !conf) {
    return;
  }
  var fields = Array.prototype.slice.call(form.querySelectorAll("[data-param-field]"));
  if (fields.length === 0) {
    return;
  }
  var status = document.createElement("p");
  status.className = "muted";
  status.id = "conf-status";
  conf.parentNode.insertBefore(status, conf.nextSibling);

  function kindOf(field) {
    var row = field.closest("tr");
    return row ? row.getAttribute("data-kind") : "text";
  }

  // {absent: true} for an empty field, {value: v} when it reads, {bad: true} when it does not (the server will say why)
  function read(field) {
    var kind = kindOf(field);
    if (kind === "boolean") {
      return { value: field.checked };
    }
    var text = field.value.trim();
    if (text === "") {
      return { absent: true };
    }
    try {
      switch (kind) {
        case "integer":
          return /^-?\d+$/.test(text) ? { value: parseInt(text, 10) } : { bad: true };
        case "number":
          return isFinite(Number(text)) ? { value: Number(text) } : { bad: true };
        case "enum":
        case "json":
          return { value: JSON.parse(text) };
        case "lines":
          return { value: text.split("\n").map(function (l) { return l.trim(); }).filter(function (l) { return l !== ""; }) };
        case "datetime":
          return { value: (text.length === 16 ? text + ":00" : text) + "Z" };
        default:
          return { value: field.value };
      }
    } catch (e) {
      return { bad: true };
    }
  }

  function write(field, value) {
    var kind = kindOf(field);
    if (kind === "boolean") {
      field.checked = value === true;
    } else if (kind === "enum") {
      field.value = JSON.stringify(value);
    } else if (kind === "lines") {
      field.value = Array.isArray(value) ? value.join("\n") : String(value);
    } else if (kind === "json") {
      field.value = JSON.stringify(value, null, 2);
    } else if (kind === "datetime") {
      field.value = String(value).replace(/(Z|[+-]\d\d:\d\d)$/, "").slice(0, 19);
    } else {
      field.value = value === null ? "" : String(value);
    }
  }

  function parseConf() {
    var text = conf.value.trim();
    if (text === "") {
      return {};
    }
    var value = JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value) ? value : null;
  }

  function fieldsToJson() {
    var value;
    try {
      value = parseConf();
    } catch (e) {
      value = null;
    }
    if (value === null) {
      status.textContent = "The JSON below is not a valid JSON object, so the fields were not copied into it.";
      return;
    }
    fields.forEach(function (field) {
      var name = field.getAttribute("data-param-field");
      var read_ = read(field);
      if (read_.absent) {
        delete value[name];
      } else if (!read_.bad) {
        value[name] = read_.value;
      }
    });
    conf.value = JSON.stringify(value, null, 2);
    status.textContent = "";
  }

  function jsonToFields() {
    var value;
    try {
      value = parseConf();
    } catch (e) {
      value = null;
    }
    if (value === null) {
      status.textContent = "This is not a valid JSON object yet; the fields keep their values (triggering says where the mistake is).";
      return;
    }
    fields.forEach(function (field) {
      var name = field.getAttribute("data-param-field");
      if (Object.prototype.hasOwnProperty.call(value, name)) {
        write(field, value[name]);
      }
    });
    status.textContent = "";
  }

  fields.forEach(function (field) {
    field.addEventListener("change", fieldsToJson);
    field.addEventListener("input", fieldsToJson);
  });
  conf.addEventListener("change", jsonToFields);
  fieldsToJson();
});
