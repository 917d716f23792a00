/**
 * The component gallery: every visual component on the fixtures, for development and
 * screenshots. Served by the Vite dev server at /dev.html; not part of the production
 * build, whose only input is index.html.
 */
import { mount } from 'svelte';
import './app.css';
import DevGallery from './dev/DevGallery.svelte';

const target = document.getElementById('gallery');
if (!target) throw new Error('#gallery element missing from dev.html');
export default mount(DevGallery, { target });
