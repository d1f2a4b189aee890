// Material for MkDocs' anchor-to-tab snippet, moved into a file for the CSP.
var target=document.getElementById(location.hash.slice(1));target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))
