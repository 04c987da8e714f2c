/* The report inside its admin page, shown at its full height (same origin: the frame's
   document can be measured). Without the script the frame keeps the stylesheet's height. */
"use strict";
document.addEventListener("DOMContentLoaded", () => document.querySelectorAll("iframe.nightly-report-page").forEach((frame) => {
  const fit = () => {
    const body = frame.contentDocument && frame.contentDocument.documentElement;
    if (body) frame.style.height = body.scrollHeight + 24 + "px";
  };
  frame.addEventListener("load", fit);
  if (frame.contentDocument && frame.contentDocument.readyState === "complete") fit();
}));
