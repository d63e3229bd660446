// Entry of the app: polyfills first (module order), then the Svelte root component.
import './polyfills.js';
import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';

mount(App, { target: document.getElementById('app')! });
