// The workflow dashboard's diagram (build.sh bundles this with bpmn-js into bpmn-viewer.min.js). It draws
// the BPMN document the page carries (from the Workflow API's GET /processes/{id}) in place of its
// "diagram needs JavaScript" note; without JavaScript the page's tables say the same in numbers.
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';

async function draw(box) {
  const source = document.getElementById(box.dataset.source);
  if (!source) return;
  const viewer = new NavigatedViewer({ container: box });
  try {
    await viewer.importXML(source.textContent);
    viewer.get('canvas').zoom('fit-viewport');
    box.classList.add('portal-bpmn--drawn');
    box.setAttribute('data-drawn', 'true');
  } catch (err) {
    box.setAttribute('data-drawn', 'failed');
  }
}

document.querySelectorAll('[data-bpmn-diagram]').forEach(draw);
