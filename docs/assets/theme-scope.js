// Material for MkDocs' (and Zensical's) first inline script, moved into a file so that the site's
// Content-Security-Policy can forbid inline scripts. The scope is the site's root: this file sits in
// <root>/assets/, so the root is one level up from the script's own address.
__md_scope=new URL("..",document.currentScript.src),__md_scope.pathname.endsWith("/")||(__md_scope=new URL(__md_scope.pathname+"/",location)),__md_hash=e=>[...e].reduce(((e,t)=>(e<<5)-e+t.charCodeAt(0)),0),__md_get=(e,t=localStorage,_=__md_scope)=>JSON.parse(t.getItem(_.pathname+"."+e)),__md_set=(e,t,_=localStorage,a=__md_scope)=>{try{_.setItem(a.pathname+"."+e,JSON.stringify(t))}catch(e){}},document.documentElement.setAttribute("data-platform",navigator.platform);
