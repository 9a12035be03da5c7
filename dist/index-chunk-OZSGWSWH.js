import { createRequire as __drCreateRequire } from 'node:module';
import { fileURLToPath as __drFileURLToPath } from 'node:url';
import { dirname as __drDirname } from 'node:path';
const require = __drCreateRequire(import.meta.url);
const __filename = __drFileURLToPath(import.meta.url);
const __dirname = __drDirname(__filename);
var c=Object.create;var s=Object.defineProperty;var l=Object.getOwnPropertyDescriptor;var u=Object.getOwnPropertyNames;var d=Object.getPrototypeOf,f=Object.prototype.hasOwnProperty;var y=(i=>typeof require<"u"?require:typeof Proxy<"u"?new Proxy(i,{get:(t,e)=>(typeof require<"u"?require:t)[e]}):i)(function(i){if(typeof require<"u")return require.apply(this,arguments);throw Error('Dynamic require of "'+i+'" is not supported')});var p=(i,t)=>()=>{try{return t||i((t={exports:{}}).exports,t),t.exports}catch(e){throw t=0,e}};var h=(i,t,e,n)=>{if(t&&typeof t=="object"||typeof t=="function")for(let r of u(t))!f.call(i,r)&&r!==e&&s(i,r,{get:()=>t[r],enumerable:!(n=l(t,r))||n.enumerable});return i};var x=(i,t,e)=>(e=i!=null?c(d(i)):{},h(t||!i||!i.__esModule?s(e,"default",{value:i,enumerable:!0}):e,i));var a=class{constructor(t){this.max=t;t>=1||(this.max=1)}max;active=0;waiting=[];async acquire(){this.active>=this.max?await new Promise(e=>this.waiting.push(e)):this.active++;let t=!1;return()=>{if(t)return;t=!0;let e=this.waiting.shift();e?e():this.active--}}async run(t){let e=await this.acquire();try{return await t()}finally{e()}}};var N="sh -s",v="@@stdin-ready",o=`printf '%s\\n' '${v}'`;function T(i,t){return`{
${t&&!i.includes(o)?`${o}
`:""}${i}
}; exit
`}export{y as a,p as b,x as c,a as d,N as e,v as f,o as g,T as h};
