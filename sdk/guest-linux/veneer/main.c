// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * veneer.ko: the root partition's driver for Veneer in root mode.  It
 * binds to the hypervisor's synthetic PCI function (so udev loads it by
 * the function's ids), enables the hypercall page and the root's SynIC,
 * and offers /dev/veneer to build and run child partitions.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/pci.h>

#include "veneer.h"

static bool veneer_bound;

static int veneer_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	int err;

	/* The hypervisor has one function; its state is the module's. */
	if (veneer_bound)
		return -EBUSY;
	err = veneer_discover();
	if (err)
		return err;
	err = pci_enable_device(pdev);
	if (err)
		return err;
	/* A function signals MSIs only with bus mastering enabled. */
	pci_set_master(pdev);
	err = veneer_hypercall_init();
	if (err)
		goto disable_device;
	err = veneer_synic_init(pdev);
	if (err)
		goto hypercall_exit;
	err = veneer_channels_init();
	if (err)
		goto synic_exit;
	err = veneer_device_register();
	if (err)
		goto synic_exit;
	veneer_bound = true;
	return 0;

synic_exit:
	veneer_synic_exit(pdev);
hypercall_exit:
	veneer_hypercall_exit();
disable_device:
	pci_disable_device(pdev);
	return err;
}

/*
 * Only at unload (the function cannot be unbound otherwise): no
 * descriptor is open, so every partition has been destroyed.
 */
static void veneer_remove(struct pci_dev *pdev)
{
	veneer_device_unregister();
	veneer_synic_exit(pdev);
	veneer_pool_exit();
	veneer_grant_windows_exit();
	veneer_hypercall_exit();
	pci_disable_device(pdev);
	veneer_bound = false;
}

static const struct pci_device_id veneer_pci_ids[] = {
	{ PCI_DEVICE(VNR_PCI_VENDOR_ID, VNR_PCI_DEVICE_ID) },
	{}
};
MODULE_DEVICE_TABLE(pci, veneer_pci_ids);

static struct pci_driver veneer_pci_driver = {
	.name = KBUILD_MODNAME,
	.id_table = veneer_pci_ids,
	.probe = veneer_probe,
	.remove = veneer_remove,
	/* No unbind through sysfs while descriptors are open. */
	.driver.suppress_bind_attrs = true,
};
module_pci_driver(veneer_pci_driver);

MODULE_DESCRIPTION("Veneer root partition: partition management");
MODULE_VERSION(VENEER_MODULE_VERSION);
MODULE_LICENSE("Dual MIT/GPL");
