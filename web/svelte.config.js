// Svelte compiler settings: defaults (TypeScript in <script lang="ts"> is stripped natively).
export default {};
